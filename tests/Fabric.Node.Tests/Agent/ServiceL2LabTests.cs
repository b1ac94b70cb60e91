using Fabric.Node.Tests.Support;
using Xunit.Abstractions;

namespace Fabric.Node.Tests.Agent;

/// <summary>A load balancer service IP announced on Layer 2 by one of three real agents in namespaces, from the same
/// config (pool, L2Advertisement, v1 Service asking for 192.0.2.200): one MAC answers ARP for it, and it moves when
/// its node dies. The bound only separates "moved by the lease" from "moved by membership or never"; the figures
/// come from bench/vip (failover service).</summary>
[Trait("Category", "Lab")]
[Collection("VipLab")]
public sealed class ServiceL2LabTests(ITestOutputHelper output) : IAsyncLifetime
{
    private VipLab lab = null!;

    public async Task InitializeAsync()
    {
        lab = await VipLab.StartAsync(withService: true);
        await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(60), what: "servicel2");
    }

    public async Task DisposeAsync() => await lab.DisposeAsync();

    [Fact]
    public async Task One_node_answers_ARP_for_the_service_IP_and_another_takes_it_over_when_that_node_crashes()
    {
        var owner = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(10), what: "servicel2");
        Assert.Equal([await lab.Br0MacAsync(owner)], await lab.ArpResponderMacsAsync(VipLab.ServiceIp));
        Assert.Contains("\"fence\": \"on\"", (await lab.Agents[owner - 1]!.CliAsync("get servicel2 -o json")).Output);

        var outage = await lab.OutageAsync(() => lab.CrashAsync(owner), TimeSpan.FromSeconds(5), VipLab.ServiceIp);
        var next = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(5), not: owner, what: "servicel2");
        output.WriteLine($"service IP {VipLab.ServiceIp}: node {owner} crashed (kill -9, port cut), node {next} took over; " +
                         $"client outage {outage} ms (ping every 10 ms)");
        Assert.NotEqual(owner, next);
        Assert.True(outage < 3000, $"client outage {outage} ms after the announcing node crashed");
        Assert.Equal([await lab.Br0MacAsync(next)], await lab.ArpResponderMacsAsync(VipLab.ServiceIp));
    }

    [Fact]
    public async Task A_graceful_stop_hands_the_service_IP_over_without_waiting_for_the_lease()
    {
        var owner = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(10), what: "servicel2");
        var outage = await lab.OutageAsync(async () => Assert.Equal(0, await lab.Agents[owner - 1]!.StopAsync(TimeSpan.FromSeconds(15))),
            TimeSpan.FromSeconds(4), VipLab.ServiceIp);
        var next = await lab.WaitForSingleOwnerAsync(TimeSpan.FromSeconds(5), not: owner, what: "servicel2");
        output.WriteLine($"service IP {VipLab.ServiceIp}: node {owner} stopped (SIGTERM), node {next} took over; client outage {outage} ms");
        Assert.True(outage < 500, $"client outage {outage} ms after a graceful stop: as long as a lease, so not handed over");
        Assert.Equal([await lab.Br0MacAsync(next)], await lab.ArpResponderMacsAsync(VipLab.ServiceIp));
    }
}
