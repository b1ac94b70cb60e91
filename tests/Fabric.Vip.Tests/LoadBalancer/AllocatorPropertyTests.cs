using System.Net;
using System.Text.Json;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Config;
using static Fabric.Vip.Tests.LoadBalancer.LbTestData;

namespace Fabric.Vip.Tests.LoadBalancer;

/// <summary>Seeded random sequences of create/update/delete/request/share/shrink against the pure allocator,
/// checking after every step that no address is held by services that may not share it, that every allocation is
/// inside its pool unless a pool change left it outside (then it is flagged), and that replaying the events
/// rebuilds the same state (what recovery relies on).</summary>
public class AllocatorPropertyTests
{
    private static readonly IpAddressPool[][] PoolSets =
    [
        [Pool("a", "192.0.2.0/28"), Pool("b", "198.51.100.0/29", "2001:db8::/125")],
        [Pool("a", "192.0.2.0/29"), Pool("b", "198.51.100.0/30", "2001:db8::/126")],
        [Pool("a", true, true, "192.0.2.0/28"), Pool("c", false, false, "203.0.113.0/30")],
        [Pool("b", "198.51.100.0/29", "2001:db8::/125"), Pool("c", false, false, "203.0.113.0/30")],
    ];

    private static readonly string[] Addresses =
        ["192.0.2.0", "192.0.2.1", "192.0.2.5", "192.0.2.15", "198.51.100.2", "2001:db8::3", "203.0.113.1", "203.0.113.9"];

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    [InlineData(6)] [InlineData(7)] [InlineData(8)] [InlineData(9)] [InlineData(10)]
    public void Random_sequences_keep_the_invariants(int seed)
    {
        var random = new Random(seed);
        var state = new AllocatorState();
        var journal = new List<AllocatorEvent>(state.SetPools(PoolSets[0]));
        var allocatedSincePoolChange = new HashSet<string>();
        for (var step = 0; step < 400; step++)
        {
            var name = $"s{random.Next(24)}";
            var roll = random.Next(100);
            if (roll < 5)
            {
                journal.AddRange(state.SetPools(PoolSets[random.Next(PoolSets.Length)]));
                allocatedSincePoolChange.Clear();
            }
            else if (roll < 25)
            {
                journal.AddRange(state.Release($"default/{name}"));
            }
            else
            {
                var service = RandomService(random, name);
                var before = state.Allocations.TryGetValue(service.Key, out var held) ? string.Join(",", held.Ips) : null;
                var outcome = state.Allocate(service, "prop");
                journal.AddRange(outcome.Events);
                // Re-recording kept addresses (new ports, say) is not a new placement; new addresses are.
                if (outcome.Events.OfType<IpAllocated>().Any(e => e.Service == service.Key && string.Join(",", e.Ips) != before))
                    allocatedSincePoolChange.Add(service.Key);
                if (outcome.Allocation.Error is null && service.RequestedIps.Count > 0)
                    Assert.True(service.RequestedIps.Select(i => i.ToString()).ToHashSet().SetEquals(outcome.Allocation.Ips.Select(i => i.ToString())),
                        $"seed {seed} step {step}: requested {string.Join(",", service.RequestedIps)} got {string.Join(",", outcome.Allocation.Ips)}");
            }
            CheckInvariants(state, allocatedSincePoolChange, $"seed {seed} step {step}");
        }
        var replayed = new AllocatorState();
        foreach (var e in journal) replayed.Apply(e);
        Assert.Equal(JsonSerializer.Serialize(state.ToSnapshot()), JsonSerializer.Serialize(replayed.ToSnapshot()));
    }

    private static LoadBalancerService RandomService(Random random, string name)
    {
        string? Pick(params string?[] options) => options[random.Next(options.Length)];
        var dual = random.Next(5) == 0;
        var requested = random.Next(6) == 0 ? new[] { Addresses[random.Next(Addresses.Length)] } : null;
        return Svc(name,
            key: Pick(null, "k1", "k1", "k2"),
            port: new[] { 53, 80, 443 }[random.Next(3)],
            policy: Pick("Cluster", "Cluster", "Local")!,
            pool: random.Next(8) == 0 ? Pick("a", "b", "c", "nope") : null,
            ips: requested,
            family: dual ? Pick("PreferDualStack", "RequireDualStack")! : "SingleStack",
            families: dual ? ["IPv4", "IPv6"] : [Pick("IPv4", "IPv4", "IPv6")!],
            selector: new Dictionary<string, string> { ["app"] = Pick("x", "y")! });
    }

    private static void CheckInvariants(AllocatorState state, HashSet<string> allocatedSincePoolChange, string where)
    {
        var byIp = state.Allocations.Values.SelectMany(a => a.Ips.Select(ip => (ip, a))).GroupBy(x => x.ip);
        foreach (var group in byIp)
        {
            var holders = group.Select(x => x.a).ToList();
            foreach (var first in holders)
            foreach (var second in holders.Where(h => h != first))
                Assert.True(SharingRules.Conflict(first.Service, first.Traits, second.Traits) is null,
                    $"{where}: {group.Key} held by {first.Service} and {second.Service}, which may not share");
            Assert.Equal(holders.Count, state.HoldersOf(IPAddress.Parse(group.Key)).Count);
        }
        var flagged = state.OutsidePool().Select(a => a.Service).ToHashSet();
        foreach (var a in state.Allocations.Values)
        {
            var pool = state.Pools.FirstOrDefault(p => p.Name == a.Pool);
            var inside = pool is not null && a.Ips.All(ip => pool.Offers(IpNumber.From(IPAddress.Parse(ip))));
            if (allocatedSincePoolChange.Contains(a.Service))
                Assert.True(inside, $"{where}: {a.Service} got {string.Join(",", a.Ips)} outside pool {a.Pool}");
            else if (!inside)
                Assert.True(flagged.Contains(a.Service) || (pool is not null && a.Ips.All(ip => pool.Contains(IpNumber.From(IPAddress.Parse(ip))))),
                    $"{where}: {a.Service} outside its pool and not reported");
            var families = a.Ips.Select(ip => IPAddress.Parse(ip).AddressFamily).ToList();
            Assert.Equal(families.Count, families.Distinct().Count());
        }
    }
}
