using System.Net;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Announce;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.Tests.LoadBalancer.Announce;

public class BgpServiceAdvertisementsTests
{
    private const uint LocalAsn = 64513;
    private static readonly NodeBgpPeer TorA = new("tor-a", IPAddress.Parse("203.0.113.1"), 64512, true);
    private static readonly NodeBgpPeer TorB = new("tor-b", IPAddress.Parse("203.0.113.5"), 64512, true);
    private static readonly NodeBgpPeer Reflector = new("rr", IPAddress.Parse("203.0.113.9"), LocalAsn, true);
    private static readonly NodeBgpPeer FabricPeer = new("198.18.0.1", IPAddress.Parse("198.18.0.1"), 64600, false);

    private const string Pools = """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: public, labels: {exposure: internet}}
        spec: {addresses: [198.51.100.0/24, "2001:db8:5::/64"]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: private}
        spec: {addresses: [192.0.2.0/26]}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: tor-a}
        spec: {myASN: 64513, peerASN: 64512, peerAddress: 203.0.113.1}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: tor-b}
        spec: {myASN: 64513, peerASN: 64512, peerAddress: 203.0.113.5}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: rr}
        spec: {myASN: 64513, peerASN: 64513, peerAddress: 203.0.113.9}
        ---
        apiVersion: metallb.io/v1beta1
        kind: Community
        metadata: {name: aliases}
        spec:
          communities: [{name: no-advertise, value: "65535:65282"}, {name: big, value: "large:64513:7:8"}]
        ---

        """;

    private static LoadBalancerConfig Config(string advertisements)
    {
        var config = LbTestData.Read(Pools + advertisements);
        Assert.True(config.IsValid, string.Join("\n", config.Diagnostics));
        return config;
    }

    private static AnnouncedService Svc(string key, string pool, params string[] ips) =>
        new() { Key = key, Pool = pool, Ips = ips.Select(IPAddress.Parse).ToList() };

    private static BgpAnnouncementPlan Compute(LoadBalancerConfig config, IReadOnlyList<AnnouncedService> services,
        IReadOnlyList<NodeBgpPeer>? peers = null, string node = "n1", Dictionary<string, string>? labels = null) =>
        BgpServiceAdvertisements.Compute(new BgpAnnouncementInput
        {
            NodeName = node,
            NodeLabels = labels ?? new Dictionary<string, string> { [NodeLabels.Hostname] = node },
            LocalAsn = LocalAsn,
            Peers = peers ?? [TorA, TorB],
            Config = config,
            Services = services,
        });

    /// <summary>prefix → (peer → "communities|large|localPref"), the way the speaker will send them.</summary>
    private static Dictionary<string, Dictionary<string, string>> Routes(BgpAnnouncementPlan plan)
    {
        var routes = new Dictionary<string, Dictionary<string, string>>();
        foreach (var ad in plan.Advertisements)
        foreach (var prefix in ad.Prefixes)
        {
            Assert.NotEmpty(ad.Peers); // empty would mean every peer of the speaker, fabric.bgp's included
            var byPeer = routes.TryGetValue(prefix.ToString(), out var existing) ? existing : routes[prefix.ToString()] = [];
            foreach (var peer in ad.Peers)
                Assert.True(byPeer.TryAdd(peer.ToString(), $"{string.Join(",", ad.Communities)}|{string.Join(",", ad.LargeCommunities)}|{ad.LocalPref}"),
                    $"{prefix} goes to {peer} twice");
        }
        return routes;
    }

    [Fact]
    public void Each_address_goes_as_a_host_prefix_to_every_peer_by_default()
    {
        var plan = Compute(Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: all}
            """), [Svc("default/web", "public", "198.51.100.10", "2001:db8:5::10")]);

        var routes = Routes(plan);
        Assert.Equal(["198.51.100.10/32", "2001:db8:5::10/128"], routes.Keys.Order());
        Assert.Equal(["203.0.113.1", "203.0.113.5"], routes["198.51.100.10/32"].Keys.Order());
        var state = Assert.Single(plan.Services);
        Assert.Equal(["tor-a/203.0.113.1", "tor-b/203.0.113.5"], state.Peers);
        Assert.Equal(["all"], state.Advertisements);
        Assert.Equal("", state.Reason);
    }

    [Fact]
    public void Aggregation_length_rolls_services_up_into_one_prefix_per_family()
    {
        var plan = Compute(Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: rollup}
            spec: {ipAddressPools: [public], aggregationLength: 24, aggregationLengthV6: 64, communities: ["64513:1"]}
            """), [Svc("default/a", "public", "198.51.100.10"), Svc("default/b", "public", "198.51.100.200", "2001:db8:5::77")]);

        var routes = Routes(plan);
        Assert.Equal(["198.51.100.0/24", "2001:db8:5::/64"], routes.Keys.Order());
        // Both services share the aggregate: one route, one speaker entry.
        Assert.Single(plan.Advertisements);
        Assert.Equal(["198.51.100.0/24"], plan.Services.Single(s => s.Service == "default/a").Prefixes);
    }

    [Fact]
    public void Communities_resolve_aliases_and_large_ones_and_merge_across_advertisements()
    {
        var plan = Compute(Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: first}
            spec: {ipAddressPools: [public], communities: [no-advertise, "64513:100"]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: second}
            spec: {ipAddressPoolSelectors: [{matchLabels: {exposure: internet}}], communities: [big, "64513:100", "large:64513:1:2"]}
            """), [Svc("default/web", "public", "198.51.100.10")]);

        var route = Routes(plan)["198.51.100.10/32"];
        Assert.Equal("65535:65282,64513:100|64513:7:8,64513:1:2|", route["203.0.113.1"]);
        Assert.Equal(["first", "second"], plan.Services[0].Advertisements);
    }

    [Fact]
    public void Local_pref_goes_to_ibgp_peers_only_and_the_highest_wins()
    {
        var plan = Compute(Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: low}
            spec: {localPref: 50, communities: ["64513:5"]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: high}
            spec: {localPref: 200}
            """), [Svc("default/web", "public", "198.51.100.10")], peers: [TorA, Reflector]);

        var route = Routes(plan)["198.51.100.10/32"];
        Assert.Equal("64513:5||", route["203.0.113.1"]);
        Assert.Equal("64513:5||200", route["203.0.113.9"]);
        // Different attributes per peer: two speaker entries for the one prefix, with disjoint peers.
        Assert.Equal(2, plan.Advertisements.Count);
    }

    [Fact]
    public void Named_peers_restrict_the_advertisement_and_an_empty_list_includes_fabric_bgp_peers()
    {
        var plan = Compute(Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: only-b}
            spec: {ipAddressPools: [public], peers: [tor-b], communities: ["64513:2"]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: everyone}
            spec: {ipAddressPools: [private]}
            """), [Svc("default/web", "public", "198.51.100.10"), Svc("default/db", "private", "192.0.2.3")], peers: [TorA, TorB, FabricPeer]);

        var routes = Routes(plan);
        Assert.Equal(["203.0.113.5"], routes["198.51.100.10/32"].Keys);
        Assert.Equal(["198.18.0.1", "203.0.113.1", "203.0.113.5"], routes["192.0.2.3/32"].Keys.Order());
        Assert.Equal(["198.18.0.1", "tor-a/203.0.113.1", "tor-b/203.0.113.5"], plan.Services.Single(s => s.Service == "default/db").Peers.Order());
    }

    [Fact]
    public void A_named_peer_that_does_not_peer_with_this_node_announces_nothing_and_says_why()
    {
        var plan = Compute(Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: only-b}
            spec: {peers: [tor-b]}
            """), [Svc("default/web", "public", "198.51.100.10")], peers: [TorA]);

        Assert.Empty(plan.Advertisements);
        Assert.Contains("none of the peers of BGPAdvertisement only-b (tor-b)", plan.Services[0].Reason);
    }

    [Fact]
    public void Node_selectors_decide_whether_this_node_announces()
    {
        var config = Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: rack1}
            spec:
              nodeSelectors:
                - matchLabels: {rack: r1}
                - matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [edge-7]}]
            """);
        var services = new[] { Svc("default/web", "public", "198.51.100.10") };

        Assert.Single(Compute(config, services, labels: new() { ["rack"] = "r1" }).Advertisements);
        Assert.Single(Compute(config, services, node: "edge-7").Advertisements);
        var other = Compute(config, services, labels: new() { ["rack"] = "r2" });
        Assert.Empty(other.Advertisements);
        Assert.Equal("BGPAdvertisement rack1 does not select this node", other.Services[0].Reason);
    }

    [Fact]
    public void Local_traffic_policy_is_announced_only_where_an_endpoint_is_ready()
    {
        var config = Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: all}
            """);
        var local = Svc("default/web", "public", "198.51.100.10") with { ExternalTrafficPolicy = "Local", ReadyNodes = ["n2"] };

        var elsewhere = Compute(config, [local], node: "n1");
        Assert.Empty(elsewhere.Advertisements);
        Assert.Equal("externalTrafficPolicy Local and no ready endpoint on this node", elsewhere.Services[0].Reason);

        Assert.Single(Compute(config, [local], node: "n2").Advertisements);

        // Config documents know no endpoints: announced everywhere, with a warning that says so.
        var unknown = Compute(config, [local with { ReadyNodes = null }], node: "n1");
        Assert.Single(unknown.Advertisements);
        Assert.Contains("knows no endpoints", unknown.Services[0].Warning);
    }

    [Fact]
    public void Services_without_an_address_or_an_advertisement_for_their_pool_are_not_announced()
    {
        var plan = Compute(Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: public-only}
            spec: {ipAddressPools: [public]}
            """), [Svc("default/pending", "public"), Svc("default/db", "private", "192.0.2.3"), Svc("default/old", "gone", "198.51.100.9")]);

        Assert.Empty(plan.Advertisements);
        var reasons = plan.Services.ToDictionary(s => s.Service, s => s.Reason);
        Assert.Equal("no address allocated", reasons["default/pending"]);
        Assert.Equal("no BGPAdvertisement selects pool private", reasons["default/db"]);
        Assert.Equal("pool gone is not configured", reasons["default/old"]);
    }

    [Fact]
    public void A_node_without_peers_announces_nothing()
    {
        var plan = Compute(Config("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: all}
            """), [Svc("default/web", "public", "198.51.100.10")], peers: []);
        Assert.Empty(plan.Advertisements);
        Assert.Equal("this node has no BGP peers", plan.Services[0].Reason);
    }
}
