using System.Net;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Config;
using static Fabric.Vip.Tests.LoadBalancer.LbTestData;

namespace Fabric.Vip.Tests.LoadBalancer;

public class AllocatorStateTests
{
    private static AllocatorState With(params IpAddressPool[] pools)
    {
        var state = new AllocatorState();
        state.SetPools(pools);
        return state;
    }

    private static string Ips(Fabric.Vip.LoadBalancer.ServiceAllocation a) => a.Error ?? string.Join(",", a.Ips);

    [Fact]
    public void Lowest_free_address_first_and_released_on_delete()
    {
        var s = With(Pool("a", "192.0.2.0/30"));
        Assert.Equal("192.0.2.0", Ips(s.Allocate(Svc("x"), "t").Allocation));
        Assert.Equal("192.0.2.1", Ips(s.Allocate(Svc("y"), "t").Allocation));
        s.Release("default/x");
        Assert.Equal("192.0.2.0", Ips(s.Allocate(Svc("z"), "t").Allocation));
    }

    [Fact]
    public void Avoid_buggy_ips_skips_dot_zero_and_dot_255()
    {
        var s = With(Pool("a", true, true, "192.0.2.255-192.0.3.1"));
        Assert.Equal("192.0.3.1", Ips(s.Allocate(Svc("x"), "t").Allocation));
        Assert.Contains("exhausted", Ips(s.Allocate(Svc("y"), "t").Allocation));
        Assert.Equal((UInt128)1, s.PoolStatuses()[0].Size);
    }

    [Fact]
    public void Exhausted_unknown_pool_and_conflicting_request_are_errors()
    {
        var s = With(Pool("a", "192.0.2.10/32"));
        s.Allocate(Svc("x"), "t");
        Assert.Contains("IPAddressPool a has no free IPv4 address (exhausted)", Ips(s.Allocate(Svc("y"), "t").Allocation));
        Assert.Equal("unknown IPAddressPool nope", Ips(s.Allocate(Svc("z", pool: "nope"), "t").Allocation));
        Assert.Contains("requested address 192.0.2.10 is in use by default/x, which does not allow sharing",
            Ips(s.Allocate(Svc("w", ips: ["192.0.2.10"]), "t").Allocation));
        Assert.Contains("not in any IPAddressPool", Ips(s.Allocate(Svc("v", ips: ["203.0.113.1"]), "t").Allocation));
    }

    [Fact]
    public void Auto_assign_false_pools_only_on_explicit_request_and_priority_orders_pools()
    {
        var manual = Pool("manual", false, false, "192.0.2.0/29");
        var low = Pool("low", "198.51.100.0/29") with { ServiceAllocation = new ServiceAllocationRule { Priority = 20 } };
        var high = Pool("high", "203.0.113.0/29") with { ServiceAllocation = new ServiceAllocationRule { Priority = 10, Namespaces = ["prod"] } };
        var s = With(manual, low, high);
        Assert.Equal("198.51.100.0", Ips(s.Allocate(Svc("x"), "t").Allocation));
        Assert.Equal("203.0.113.0", Ips(s.Allocate(Svc("y", ns: "prod"), "t").Allocation));
        Assert.Equal("192.0.2.0", Ips(s.Allocate(Svc("z", pool: "manual"), "t").Allocation));
        Assert.Equal("192.0.2.5", Ips(s.Allocate(Svc("w", ips: ["192.0.2.5"]), "t").Allocation));
        Assert.Contains("does not serve default/v", Ips(s.Allocate(Svc("v", pool: "high"), "t").Allocation));
    }

    [Fact]
    public void Sharing_follows_metallb_rules()
    {
        var s = With(Pool("a", "192.0.2.0/29"));
        Assert.Equal("192.0.2.0", Ips(s.Allocate(Svc("web", key: "k", port: 80), "t").Allocation));
        Assert.Equal("192.0.2.0", Ips(s.Allocate(Svc("dns", key: "k", port: 53), "t").Allocation));
        Assert.Equal("192.0.2.1", Ips(s.Allocate(Svc("web2", key: "k", port: 80), "t").Allocation)); // port clash
        Assert.Equal("192.0.2.2", Ips(s.Allocate(Svc("other", key: "j", port: 81), "t").Allocation)); // other key
        Assert.Contains("externalTrafficPolicy Cluster, not Local",
            Ips(s.Allocate(Svc("local", key: "k", port: 90, policy: "Local", ips: ["192.0.2.0"]), "t").Allocation));
        var sel1 = new Dictionary<string, string> { ["app"] = "a" };
        var sel2 = new Dictionary<string, string> { ["app"] = "b" };
        Assert.Equal("192.0.2.3", Ips(s.Allocate(Svc("l1", key: "L", port: 1, policy: "Local", selector: sel1), "t").Allocation));
        Assert.Equal("192.0.2.3", Ips(s.Allocate(Svc("l2", key: "L", port: 2, policy: "Local", selector: sel1), "t").Allocation));
        Assert.Equal("192.0.2.4", Ips(s.Allocate(Svc("l3", key: "L", port: 3, policy: "Local", selector: sel2), "t").Allocation));
    }

    [Fact]
    public void Dual_stack_takes_one_address_per_family_from_one_pool()
    {
        var s = With(Pool("v4only", "198.51.100.0/30"), Pool("dual", "192.0.2.0/30", "2001:db8::/126"));
        Assert.Equal("192.0.2.0,2001:db8::", Ips(s.Allocate(Svc("x", family: "RequireDualStack", families: ["IPv4", "IPv6"]), "t").Allocation));
        Assert.Equal("2001:db8::1,192.0.2.1", Ips(s.Allocate(Svc("y", family: "PreferDualStack", families: ["IPv6", "IPv4"]), "t").Allocation));
        Assert.Equal("2001:db8::2", Ips(s.Allocate(Svc("z", families: ["IPv6"]), "t").Allocation));
        Assert.Contains("ipFamilyPolicy RequireDualStack needs one requested address per family",
            Ips(s.Allocate(Svc("w", family: "RequireDualStack", ips: ["192.0.2.3"]), "t").Allocation));
    }

    [Fact]
    public void Shrinking_a_pool_keeps_and_flags_allocations_outside_it()
    {
        var s = With(Pool("a", "192.0.2.0/29"));
        for (var i = 0; i < 6; i++) s.Allocate(Svc($"s{i}"), "t");
        s.SetPools([Pool("a", "192.0.2.0/30")]);
        var flagged = s.OutsidePool().Select(a => a.Service).Order().ToList();
        Assert.Equal(["default/s4", "default/s5"], flagged);
        Assert.Contains("no longer in IPAddressPool a", s.Describe("default/s4").Warning);
        // The service is not moved when it is seen again unchanged.
        Assert.Equal("192.0.2.4", Ips(s.Allocate(Svc("s4"), "t").Allocation));
        Assert.Contains("exhausted", Ips(s.Allocate(Svc("new"), "t").Allocation));
        s.SetPools([Pool("a", "192.0.2.0/29")]);
        Assert.Empty(s.OutsidePool());
        Assert.Equal("192.0.2.6", Ips(s.Allocate(Svc("new"), "t").Allocation));
    }

    [Fact]
    public void Requested_ips_change_moves_the_service()
    {
        var s = With(Pool("a", "192.0.2.0/29"));
        Assert.Equal("192.0.2.0", Ips(s.Allocate(Svc("x"), "t").Allocation));
        Assert.Equal("192.0.2.7", Ips(s.Allocate(Svc("x", ips: ["192.0.2.7"]), "t").Allocation));
        Assert.Empty(s.HoldersOf(IPAddress.Parse("192.0.2.0")));
    }

    [Fact]
    public void Snapshot_round_trip_rebuilds_the_same_state()
    {
        var s = With(Pool("a", "192.0.2.0/29"));
        s.Allocate(Svc("x", key: "k"), "t");
        s.Allocate(Svc("y", key: "k", port: 81), "t");
        var copy = AllocatorState.FromSnapshot(s.ToSnapshot());
        Assert.Equal(s.ToSnapshot().Allocations.Select(a => (a.Service, string.Join(",", a.Ips))),
            copy.ToSnapshot().Allocations.Select(a => (a.Service, string.Join(",", a.Ips))));
        Assert.Contains("in use by default/x", Ips(copy.Allocate(Svc("z", key: "k", ips: ["192.0.2.0"]), "t").Allocation));
    }
}
