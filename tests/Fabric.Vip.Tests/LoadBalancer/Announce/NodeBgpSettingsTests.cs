using System.Net;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Announce;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.Tests.LoadBalancer.Announce;

public class NodeBgpSettingsTests
{
    private static NodeBgp Build(string yaml, string? node = "n1")
    {
        var result = ConfigLoader.Parse(yaml, "node.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var config = result.Config!;
        return NodeBgpSettings.Build(config, LoadBalancerConfigReader.FromExtraDocuments(config.ExtraDocuments), node);
    }

    private static string Peer(string name, uint myAsn, string address, string extra = "") => $$"""
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: {{name}}}
        spec: {myASN: {{myAsn}}, peerASN: 64512, peerAddress: {{address}}{{extra}}}

        """;

    private const string Network = """
        machine:
          network:
            interfaces:
              - {interface: eth0, addresses: ["2001:db8::2/64", 203.0.113.2/24]}

        """;

    [Fact]
    public void Without_fabric_bgp_the_speaker_takes_asn_and_router_id_from_the_bgp_peers()
    {
        var node = Build(Network + Peer("tor", 64513, "203.0.113.1", ", routerID: 198.18.0.2, holdTime: 9s, connectTime: 2s, enableGracefulRestart: true"));

        Assert.Empty(node.Diagnostics);
        var settings = node.Settings!;
        Assert.Equal(64513u, settings.Asn);
        Assert.Equal(IPAddress.Parse("198.18.0.2"), settings.RouterId);
        var peer = Assert.Single(settings.Peers);
        Assert.Equal(IPAddress.Parse("203.0.113.1"), peer.Address);
        Assert.Equal(TimeSpan.FromSeconds(3), peer.KeepaliveTime);
        Assert.Equal(TimeSpan.FromSeconds(2), peer.ConnectRetryTime);
        Assert.True(peer.GracefulRestart);
        Assert.Equal(new NodeBgpPeer("tor", IPAddress.Parse("203.0.113.1"), 64512, true), Assert.Single(node.Peers));
    }

    [Fact]
    public void Without_any_router_id_the_first_static_ipv4_address_is_used()
    {
        var node = Build(Network + Peer("tor", 64513, "203.0.113.1"));
        Assert.Equal(IPAddress.Parse("203.0.113.2"), node.Settings!.RouterId);
    }

    [Fact]
    public void No_router_id_anywhere_is_an_error_at_the_bgp_peer()
    {
        var node = Build(Peer("tor", 64513, "203.0.113.1"));
        Assert.Null(node.Settings);
        var error = Assert.Single(node.Diagnostics);
        Assert.StartsWith("node.yaml:", error.ToString());
        Assert.Contains("BGPPeer(tor).spec.routerID: this node has no BGP router id", error.ToString());
    }

    [Fact]
    public void Bgp_peers_join_fabric_bgp_peers_under_its_asn_and_must_agree_with_it()
    {
        var node = Build("""
            fabric:
              bgp:
                asn: 64513
                routerId: 203.0.113.2
                peers: [{address: 198.18.0.1, asn: 64600}]

            """ + Peer("tor", 64513, "203.0.113.1") + Peer("wrong", 64999, "203.0.113.7") + Peer("twin", 64513, "198.18.0.1"));

        Assert.Equal(["198.18.0.1", "203.0.113.1"], node.Settings!.Peers.Select(p => p.Address.ToString()));
        Assert.Equal(["198.18.0.1", "tor/203.0.113.1"], node.Peers.Select(p => p.ToString()));
        var errors = node.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Contains("BGPPeer(wrong).spec.myASN: myASN 64999 disagrees with fabric.bgp.asn (64513)"));
        Assert.Contains(errors, e => e.Contains("BGPPeer(twin).spec.peerAddress: 198.18.0.1 is also a peer in fabric.bgp.peers"));
    }

    [Fact]
    public void Bgp_peers_that_disagree_with_each_other_are_an_error()
    {
        var node = Build(Network + Peer("a", 64513, "203.0.113.1", ", routerID: 198.18.0.2") + Peer("b", 64514, "203.0.113.5")
                         + Peer("c", 64513, "203.0.113.6", ", routerID: 198.18.0.3"));

        Assert.Equal(64513u, node.Settings!.Asn);
        Assert.Single(node.Settings.Peers);
        var errors = node.Diagnostics.Select(d => d.ToString()).ToList();
        Assert.Contains(errors, e => e.Contains("BGPPeer(b).spec.myASN: myASN 64514 disagrees with myASN of BGPPeer a (64513)"));
        Assert.Contains(errors, e => e.Contains("BGPPeer(c).spec.routerID: routerID 198.18.0.3 disagrees with routerID of BGPPeer a (198.18.0.2)"));
    }

    [Fact]
    public void Node_selectors_pick_the_peers_of_this_node_by_its_labels_and_hostname()
    {
        var yaml = Network + """
            fabric:
              nodeLabels: {rack: r1}

            """ + Peer("rack1", 64513, "203.0.113.1", ", nodeSelectors: [{matchLabels: {rack: r1}}]")
                + Peer("rack2", 64514, "203.0.113.5", ", nodeSelectors: [{matchLabels: {rack: r2}}]")
                + Peer("edge", 64513, "203.0.113.6", ", nodeSelectors: [{matchLabels: {kubernetes.io/hostname: edge-7}}]");

        // Peers for other racks may have their own ASN: they are not this node's.
        var n1 = Build(yaml, "n1");
        Assert.Empty(n1.Diagnostics);
        Assert.Equal(["rack1"], n1.Peers.Select(p => p.Name));
        Assert.Equal(["edge", "rack1"], Build(yaml, "edge-7").Peers.Select(p => p.Name));
    }

    [Fact]
    public void No_fabric_bgp_and_no_peer_for_this_node_means_no_speaker()
    {
        var node = Build(Network + Peer("elsewhere", 64513, "203.0.113.1", ", nodeSelectors: [{matchLabels: {rack: r9}}]"));
        Assert.Null(node.Settings);
        Assert.Empty(node.Diagnostics);
    }
}
