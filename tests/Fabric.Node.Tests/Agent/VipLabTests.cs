using Xunit.Abstractions;
using Fabric.Node.Tests.Support;

namespace Fabric.Node.Tests.Agent;

/// <summary>VIP failover between real agents in namespaces, seen from a client pinging the VIP every 10 ms. The
/// bounds here only separate "moved by the lease" from "moved by membership or never"; the figures are measured in
/// bench/vip.</summary>
[Trait("Category", "Lab")]
[Collection("VipLab")]
public sealed class VipLabTests(ITestOutputHelper output) : IAsyncLifetime
{
    private VipLab lab = null!;

    public async Task InitializeAsync()
    {
        lab = await VipLab.StartAsync();
        await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync() => await lab.DisposeAsync();

    [Fact]
    public async Task The_VIP_moves_when_its_owner_crashes_and_one_MAC_answers_for_it()
    {
        var owner = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(10));
        Assert.Single(await lab.ArpResponderMacsAsync());
        var outage = await lab.OutageAsync(() => lab.CrashAsync(owner), TimeSpan.FromSeconds(5));
        var next = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(5), not: owner);
        Assert.NotEqual(owner, next);
        Assert.True(outage < 3000, $"client outage {outage} ms after the owner crashed");
        Assert.Single(await lab.ArpResponderMacsAsync());
    }

    [Fact]
    public async Task An_owner_at_rest_answers_every_ping_while_its_lease_and_fence_are_renewed()
    {
        await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(10));
        // Several lease lengths. When the kernel fence's element ran out between renewals, the owner dropped every
        // packet for 30-40 ms of each 300 ms.
        var gap = await lab.OutageAsync(() => Task.CompletedTask, TimeSpan.FromSeconds(3));
        Assert.True(gap <= 20, $"{gap} ms without a reply from an owner nothing happened to");
    }

    [Fact]
    public async Task Twenty_consecutive_crashes_of_the_owner_each_move_the_VIP()
    {
        var outages = new List<int>();
        var rounds = new List<string>();
        for (var round = 1; round <= 20; round++)
        {
            // Who answers is read the way a client sees it: the one MAC answering ARP for the VIP.
            var owner = await Eventually.EventuallyAsync(lab.ArpOwnerAsync, o => o > 0, $"round {round}: one node answering ARP for the VIP");
            var outage = await lab.OutageAsync(() => lab.CrashAsync(owner), TimeSpan.FromSeconds(3));
            outages.Add(outage);
            Assert.True(outage < 2000, $"round {round}: client outage {outage} ms after node {owner} crashed (all: {string.Join(", ", outages)})");
            var next = await Eventually.EventuallyAsync(lab.ArpOwnerAsync, o => o > 0 && o != owner, $"round {round}: another node answering ARP");
            rounds.Add($"{owner}->{next} {outage} ms");
            await lab.ReviveAsync(owner);
        }
        output.WriteLine($"rounds: {string.Join("; ", rounds)}");
        output.WriteLine($"outages (ms): {string.Join(", ", outages)}; median {outages.Order().ElementAt(outages.Count / 2)}, worst {outages.Max()}");
    }

    [Fact]
    public async Task A_graceful_stop_hands_the_VIP_over_without_waiting_for_the_lease()
    {
        var owner = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(10));
        var outage = await lab.OutageAsync(async () => Assert.Equal(0, await lab.Agents[owner - 1]!.StopAsync(TimeSpan.FromSeconds(15))),
            TimeSpan.FromSeconds(4));
        Assert.True(outage < 500, $"client outage {outage} ms after a graceful stop: as long as a lease, so not handed over");
        Assert.NotEqual(owner, await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(5), not: owner));
        Assert.Single(await lab.ArpResponderMacsAsync());
        // A graceful stop leaves no nftables of Fabric's behind on the host (a kill -9 does, to keep it fenced).
        Assert.DoesNotContain("fabric", await lab.Nodes[owner - 1].RunAsync("nft list tables"));
    }

    [Fact]
    public async Task A_partitioned_owner_stops_announcing_before_another_starts_and_healing_leaves_one_owner()
    {
        var owner = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(10));
        await lab.PartitionAsync(owner);
        var next = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(10), not: owner);

        var lost = VipLab.LeaseEvents(lab.Agents[owner - 1]!).Where(e => e.What == "lost").Select(e => e.At).LastOrDefault();
        var acquired = VipLab.LeaseEvents(lab.Agents[next - 1]!).Where(e => e.What == "acquired").Select(e => e.At).Last();
        Assert.NotEqual(default, lost);
        Assert.True(lost < acquired, $"isolated owner stopped at {lost:HH:mm:ss.fff}, the new one started at {acquired:HH:mm:ss.fff}");

        await lab.HealAsync(owner);
        await Task.Delay(3000);
        Assert.Equal([next], await lab.OwnersAsync());
        Assert.Single(await lab.ArpResponderMacsAsync());
    }

    [Fact]
    public async Task Killing_only_the_owners_agent_never_lets_two_MACs_answer_and_the_restarted_agent_leaves_one_owner()
    {
        var owner = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("\"fence\": \"on\"", (await lab.Agents[owner - 1]!.CliAsync("get vips -o json")).Output);
        Assert.Single(await lab.ArpResponderMacsAsync());

        // ARP from the client all through the takeover: the killed agent's host keeps the VIP on its link, and only
        // the kernel fence can keep it from answering next to the new owner.
        var samples = new List<HashSet<string>>();
        using var stop = new CancellationTokenSource();
        var sampling = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) samples.Add(await lab.ArpRespondersToOneRequestAsync());
        });
        var outage = await lab.OutageAsync(() => lab.KillAgentAsync(owner), TimeSpan.FromSeconds(5));
        var next = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(10), not: owner);
        await Task.Delay(2000);
        await stop.CancelAsync();
        await sampling;

        var nextMac = await lab.Br0MacAsync(next);
        output.WriteLine($"node {owner} killed, node {next} took over; outage {outage} ms; ARP samples: " +
                         string.Join(" ", samples.Select(m => m.Count == 0 ? "-" : string.Join("+", m.Select(x => x[^5..])))));
        Assert.Contains(Vip, await lab.Nodes[owner - 1].RunAsync("ip -4 addr show dev br0"));
        Assert.True(samples.Count >= 10, $"only {samples.Count} ARP samples");
        Assert.All(samples, macs => Assert.True(macs.Count <= 1, $"two MACs answered at once: {string.Join(", ", macs)}"));
        // Once the new owner answered, the old one never did again. (A sample may come back empty on a loaded machine:
        // arping gives up after 300 ms; the client's pings show no such gap.)
        var ownerMac = await lab.Br0MacAsync(owner);
        var firstNew = samples.FindIndex(m => m.Contains(nextMac));
        Assert.True(firstNew >= 0, "the new owner never answered ARP while sampled");
        Assert.DoesNotContain(samples.Skip(firstNew), m => m.Contains(ownerMac));
        Assert.Equal(next, await Eventually.EventuallyAsync(lab.ArpOwnerAsync, o => o > 0, "one node answering ARP after the takeover"));
        Assert.True(outage < 3000, $"client outage {outage} ms after node {owner}'s agent was killed");

        // The supervisor restarts the agent: it removes its leftover and the VIP stays with the new owner.
        await lab.StartAgentAsync(owner);
        await Task.Delay(3000);
        Assert.Equal([next], await lab.OwnersAsync());
        Assert.Equal([nextMac], await lab.ArpResponderMacsAsync());
    }

    private const string Vip = VipLab.Vip;
}
