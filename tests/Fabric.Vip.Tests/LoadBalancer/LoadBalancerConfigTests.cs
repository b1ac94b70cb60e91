using System.Text.Json;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.Tests.LoadBalancer;

public class LoadBalancerConfigTests
{
    private static string Errors(LoadBalancerConfig c) => string.Join("\n", c.Diagnostics.Select(d => d.ToString()));

    [Fact]
    public void Reads_the_metallb_documents_users_already_have()
    {
        var config = LbTestData.Read("""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: web, labels: {tier: front}}
            spec:
              addresses: [192.0.2.0/28, 198.51.100.16-198.51.100.31, "2001:db8::/120"]
              autoAssign: false
              avoidBuggyIPs: true
              serviceAllocation:
                priority: 10
                namespaces: [prod]
                serviceSelectors: [{matchExpressions: [{key: app, operator: In, values: [web]}]}]
            ---
            apiVersion: metallb.io/v1beta1
            kind: Community
            metadata: {name: communities}
            spec:
              communities: [{name: no-advertise-peer, value: "65535:65282"}, {name: big, value: "large:64512:1:2"}]
            ---
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: tor}
            spec: {myASN: 64512, peerASN: 64513, peerAddress: 198.51.100.1, holdTime: 9s, keepaliveTime: 3s}
            ---
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: ads}
            spec:
              ipAddressPools: [web]
              aggregationLength: 28
              localPref: 100
              communities: [no-advertise-peer, big, "64512:7"]
              peers: [tor]
            ---
            apiVersion: metallb.io/v1beta1
            kind: L2Advertisement
            metadata: {name: l2}
            spec: {ipAddressPoolSelectors: [{matchLabels: {tier: front}}], interfaces: [eth0]}
            """);
        Assert.True(config.IsValid, Errors(config));
        var pool = Assert.Single(config.Pools);
        Assert.Equal(3, pool.Ranges.Count);
        Assert.False(pool.AutoAssign);
        Assert.True(pool.AvoidBuggyIps);
        Assert.Equal(10, pool.ServiceAllocation!.Priority);
        Assert.Equal(["65535:65282", "large:64512:1:2", "64512:7"], config.BgpAdvertisements[0].Communities);
        Assert.Equal(TimeSpan.FromSeconds(9), config.BgpPeers[0].HoldTime);
        Assert.Equal(["eth0"], config.L2Advertisements[0].Interfaces);
    }

    [Theory]
    [InlineData("192.0.2.300/24", "addresses[0]: \"192.0.2.300\" is not an IP address")]
    [InlineData("192.0.2.1/24", "addresses[0]: \"192.0.2.1/24\" has host bits set")]
    [InlineData("192.0.2.20-192.0.2.10", "addresses[0]: range \"192.0.2.20-192.0.2.10\" is reversed")]
    [InlineData("192.0.2.1-2001:db8::1", "mixes IPv4 and IPv6")]
    [InlineData("192.0.2.7", "is neither a CIDR")]
    public void Bad_addresses_are_located_errors(string address, string expected)
    {
        var config = LbTestData.Read($"""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {"{"}name: p{"}"}
            spec:
              addresses:
                - {address}
            """);
        var error = Assert.Single(config.Diagnostics);
        Assert.StartsWith("lb.yaml:6:7: IPAddressPool(p).spec.", error.ToString());
        Assert.Contains(expected, error.ToString());
    }

    [Fact]
    public void Overlapping_pools_are_rejected()
    {
        var config = LbTestData.Read("""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: a}
            spec: {addresses: [192.0.2.0/24]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: b}
            spec: {addresses: [198.51.100.0/24, 192.0.2.128-192.0.2.130]}
            """);
        Assert.False(config.IsValid);
        Assert.Contains("IPAddressPool(b).spec.addresses[1]: 192.0.2.128-192.0.2.130 overlaps 192.0.2.0-192.0.2.255 of IPAddressPool a", Errors(config));
    }

    [Fact]
    public void Unknown_alias_pool_peer_and_short_aggregation_are_errors()
    {
        var config = LbTestData.Read("""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: a}
            spec: {addresses: [192.0.2.0/26]}
            ---
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: ad}
            spec:
              aggregationLength: 24
              communities: [nosuch, "70000:1"]
              ipAddressPools: [a, missing]
              peers: [ghost]
            """);
        var text = Errors(config);
        Assert.Contains("lb.yaml:11:17: BGPAdvertisement(ad).spec.communities[0]: unknown community alias nosuch", text);
        Assert.Contains("communities[1]: \"70000:1\" is not a community", text);
        Assert.Contains("BGPAdvertisement(ad).spec.ipAddressPools: no IPAddressPool named missing", text);
        Assert.Contains("BGPAdvertisement(ad).spec.peers: no BGPPeer named ghost", text);
        Assert.Contains("lb.yaml:10:22: BGPAdvertisement(ad).spec.aggregationLength: invalid aggregation length 24", text);
    }

    [Fact]
    public void Aggregation_length_out_of_range_and_unknown_fields()
    {
        var config = LbTestData.Read("""
            apiVersion: metallb.io/v1beta1
            kind: BGPAdvertisement
            metadata: {name: ad}
            spec: {aggregationLength: 33, aggregationLengthV6: 129, localPrefs: 5}
            """);
        var text = Errors(config);
        Assert.Contains("spec.aggregationLength: 33 is out of range 0..32", text);
        Assert.Contains("spec.aggregationLengthV6: 129 is out of range 0..128", text);
        Assert.Contains("spec.localPrefs: unknown field", text);
    }

    [Fact]
    public void Bgp_peer_fields_fabric_does_not_implement_are_named()
    {
        var config = LbTestData.Read("""
            apiVersion: metallb.io/v1beta2
            kind: BGPPeer
            metadata: {name: p}
            spec: {myASN: 64512, peerASN: 64513, peerAddress: 198.51.100.1, bfdProfile: fast, vrf: red}
            """);
        var text = Errors(config);
        Assert.Contains("BGPPeer(p).spec.bfdProfile: field bfdProfile is not supported by Fabric", text);
        Assert.Contains("BGPPeer(p).spec.vrf: field vrf is not supported by Fabric", text);
        Assert.False(config.IsValid);
    }

    [Fact]
    public void Json_objects_from_the_api_read_the_same_way()
    {
        var json = JsonDocument.Parse("""
            [{"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool","metadata":{"name":"a","namespace":"metallb-system"},
              "spec":{"addresses":["203.0.113.0/24"],"autoAssign":false,"serviceAllocation":{"priority":5}}},
             {"apiVersion":"metallb.io/v1beta1","kind":"IPAddressPool","metadata":{"name":"b"},
              "spec":{"addresses":["203.0.113.9-203.0.113.1"]}}]
            """);
        var config = LoadBalancerConfigReader.FromJson(json.RootElement.EnumerateArray());
        Assert.Equal(2, config.Pools.Count);
        Assert.False(config.Pools[0].AutoAssign);
        Assert.Equal(5, config.Pools[0].ServiceAllocation!.Priority);
        Assert.Equal("k8s:ipaddresspool/b: IPAddressPool(b).spec.addresses[0]: range \"203.0.113.9-203.0.113.1\" is reversed: 203.0.113.9 comes after 203.0.113.1",
            Assert.Single(config.Diagnostics).ToString());
    }
}
