using System.Net;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Announce;
using Fabric.Vip.LoadBalancer.Config;
using Fabric.Vip.LoadBalancer.Node;

namespace Fabric.Vip.Tests.LoadBalancer.Announce;

/// <summary>Which service IPs a node elects, whether it is a candidate, and which link the owner uses.</summary>
public sealed class ServiceL2PlannerTests
{
    private const string Network = """
        version: v1alpha1
        machine:
          network:
            hostname: node-a
            interfaces:
              - interface: br0
                addresses: [192.0.2.11/24, "2001:db8::11/64"]
              - interface: eth1
                addresses: [198.51.100.11/24]
              - interface: eth2
                addresses: [198.51.100.129/25]
        """;

    private const string Pools = """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: lan, labels: {zone: lan}}
        spec: {addresses: [192.0.2.200-192.0.2.210, "2001:db8::200/125"]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: dmz}
        spec: {addresses: [198.51.100.128/25, 198.51.100.64/27]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: nowhere}
        spec: {addresses: [203.0.113.0/28]}
        """;

    private static readonly L2NodeIdentity NodeA = L2NodeIdentity.Named("node-a");
    private static readonly L2NodeIdentity NodeB = L2NodeIdentity.Named("node-b");

    private static (LoadBalancerConfig Lb, NetworkConfig Network) Config(params string[] advertisements)
    {
        var result = ConfigLoader.Parse(string.Join("\n---\n", [Network, Pools, .. advertisements]), "node.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var lb = LoadBalancerConfigReader.FromExtraDocuments(result.Config!.ExtraDocuments);
        Assert.True(lb.IsValid, string.Join("\n", lb.Diagnostics));
        return (lb, result.Config.Network);
    }

    private static string L2(string name, string spec = "{}") => $"""
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {"{"}name: {name}{"}"}
        spec: {spec}
        """;

    private static ServiceState State(string service, string pool, params string[] ips) => new() { Service = service, Pool = pool, Ips = ips };

    private static IReadOnlyDictionary<IPAddress, ServiceIpPlan> Plan((LoadBalancerConfig Lb, NetworkConfig Network) config, L2NodeIdentity node,
        IEnumerable<ServiceState> services, params LoadBalancerService[] traffic) =>
        ServiceL2Planner.Plan(config.Lb, config.Network, services, traffic.ToDictionary(s => s.Key), node);

    private static ServiceIpPlan Single(IReadOnlyDictionary<IPAddress, ServiceIpPlan> plans) => Assert.Single(plans).Value;

    [Fact]
    public void An_advertisement_without_pools_covers_every_pool_and_the_link_is_the_one_on_the_IPs_subnet()
    {
        var plans = Plan(Config(L2("all")), NodeA,
            [State("default/web", "lan", "192.0.2.200", "2001:db8::201"), State("default/db", "dmz", "198.51.100.130"), State("default/x", "nowhere", "203.0.113.1")]);
        Assert.Equal("br0", plans[IPAddress.Parse("192.0.2.200")].Link);
        Assert.Equal("br0", plans[IPAddress.Parse("2001:db8::201")].Link);
        // 198.51.100.130 is in both eth1's /24 and eth2's /25: the longer prefix is the closer subnet.
        Assert.Equal("eth2", plans[IPAddress.Parse("198.51.100.130")].Link);
        Assert.Equal(["default/web"], plans[IPAddress.Parse("192.0.2.200")].Services);
        Assert.All(plans.Values.Where(p => p.Link is not null), p => Assert.True(p.Candidate));
    }

    [Fact]
    public void Only_pools_an_advertisement_names_or_selects_are_elected()
    {
        var services = new[] { State("default/web", "lan", "192.0.2.200"), State("default/db", "dmz", "198.51.100.130") };
        Assert.Equal([IPAddress.Parse("198.51.100.130")], Plan(Config(L2("dmz-only", "{ipAddressPools: [dmz]}")), NodeA, services).Keys);
        Assert.Equal([IPAddress.Parse("192.0.2.200")],
            Plan(Config(L2("by-label", "{ipAddressPoolSelectors: [{matchLabels: {zone: lan}}]}")), NodeA, services).Keys);
        Assert.Empty(Plan(Config(), NodeA, services));
    }

    [Fact]
    public void A_node_its_advertisements_do_not_select_votes_but_is_no_candidate()
    {
        var config = Config(L2("a-only", "{nodeSelectors: [{matchLabels: {kubernetes.io/hostname: node-a}}]}"));
        var services = new[] { State("default/web", "lan", "192.0.2.200") };
        Assert.True(Single(Plan(config, NodeA, services)).Candidate);
        var b = Single(Plan(config, NodeB, services));
        Assert.False(b.Candidate);
        Assert.Contains("no L2Advertisement for pool lan (a-only) selects node node-b", b.Reason);
        Assert.Null(b.Error);
    }

    [Fact]
    public void Listed_interfaces_win_preferring_the_one_on_the_IPs_subnet()
    {
        var services = new[] { State("default/web", "lan", "192.0.2.200") };
        Assert.Equal("br0", Single(Plan(Config(L2("two", "{interfaces: [eth1, br0]}")), NodeA, services)).Link);
        Assert.Equal("eth1", Single(Plan(Config(L2("one", "{interfaces: [eth1]}")), NodeA, services)).Link);
        // A listed interface that carries no address of its own (a plain port) is taken as given.
        Assert.Equal("eth7", Single(Plan(Config(L2("port", "{interfaces: [eth7]}")), NodeA, services)).Link);
    }

    [Fact]
    public void No_link_for_the_IP_is_a_clear_error_and_no_candidacy()
    {
        var plan = Single(Plan(Config(L2("all")), NodeA, [State("default/x", "nowhere", "203.0.113.1")]));
        Assert.False(plan.Candidate);
        Assert.Null(plan.Link);
        Assert.Equal("no link for 203.0.113.1: no L2Advertisement selecting it lists interfaces, and no address in machine.network has a prefix containing it", plan.Error);
    }

    [Fact]
    public void With_traffic_policy_Local_only_nodes_with_a_ready_endpoint_are_candidates()
    {
        var config = Config(L2("all"));
        var services = new[] { State("default/web", "lan", "192.0.2.200") };
        var local = LbTestData.Svc("web", policy: "Local") with { ReadyNodes = ["node-a"] };
        Assert.True(Single(Plan(config, NodeA, services, local)).Candidate);
        var b = Single(Plan(config, NodeB, services, local));
        Assert.False(b.Candidate);
        Assert.Equal("externalTrafficPolicy Local and no ready endpoint on node node-b", b.Reason);
        // Cluster policy, or no endpoint information at all (config services): every node.
        Assert.True(Single(Plan(config, NodeB, services, local with { ExternalTrafficPolicy = "Cluster" })).Candidate);
        Assert.True(Single(Plan(config, NodeB, services)).Candidate);
    }

    [Fact]
    public void A_shared_IP_is_one_plan_and_any_of_its_services_makes_the_node_eligible()
    {
        var config = Config(L2("all"));
        var services = new[] { State("default/web", "lan", "192.0.2.200"), State("default/web-udp", "lan", "192.0.2.200") };
        var tcp = LbTestData.Svc("web", policy: "Local") with { ReadyNodes = ["node-a"] };
        var udp = LbTestData.Svc("web-udp", policy: "Local") with { ReadyNodes = ["node-b"] };
        var plan = Single(Plan(config, NodeB, services, tcp, udp));
        Assert.Equal(["default/web", "default/web-udp"], plan.Services);
        Assert.True(plan.Candidate);
        Assert.False(Single(Plan(config, L2NodeIdentity.Named("node-c"), services, tcp, udp)).Candidate);
    }

    [Fact]
    public void An_IP_whose_pool_left_the_config_is_placed_by_the_pool_containing_it_or_not_at_all()
    {
        var config = Config(L2("dmz-only", "{ipAddressPools: [dmz]}"));
        Assert.Equal("eth1", Single(Plan(config, NodeA, [State("default/old", "gone", "198.51.100.70")])).Link);
        Assert.Empty(Plan(config, NodeA, [State("default/old", "gone", "192.0.2.99")]));
    }
}
