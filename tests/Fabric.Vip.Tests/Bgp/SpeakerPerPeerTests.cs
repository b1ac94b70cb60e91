using Akka.Actor;
using System.Net;
using Fabric.Actors;
using Fabric.Actors.Config;
using Fabric.Vip.Bgp.Speaker;

namespace Fabric.Vip.Tests.Bgp;

/// <summary>One prefix, different attributes to different peers: what the speaker decides per peer, seen through the
/// advertisement status it reports. Peers are passive and nothing listens, so no session ever connects.</summary>
public sealed class SpeakerPerPeerTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly IPAddress A = IPAddress.Parse("203.0.113.1");
    private static readonly IPAddress B = IPAddress.Parse("203.0.113.5");
    private static readonly IpPrefix Prefix = IpPrefix.Parse("198.51.100.7/32");

    private static BgpSettings Settings(params BgpAdvertisementSettings[] config) => new()
    {
        Asn = 64513,
        RouterId = IPAddress.Parse("203.0.113.2"),
        ListenPort = 0,
        Peers = [new BgpPeerSettings { Address = A, Asn = 64512, Passive = true }, new BgpPeerSettings { Address = B, Asn = 64512, Passive = true }],
        Advertisements = config,
    };

    private BgpAdvertisementStatus StatusOf(IpPrefix prefix, Func<BgpAdvertisementStatus, bool> done) =>
        FishForMessage<BgpAdvertisementStatus>(s => s.Prefix == prefix.ToString() && done(s), TimeSpan.FromSeconds(5));

    [Fact]
    public void One_source_sends_a_prefix_to_each_peer_with_that_peers_attributes()
    {
        var speaker = Sys.ActorOf(BgpSpeaker.Props(Settings(), TestActor));
        speaker.Tell(new BgpSpeaker.SetAdvertisements("loadbalancer",
        [
            new BgpAdvertisementSettings { Prefixes = [Prefix], Communities = ["64513:1"], Peers = [A] },
            new BgpAdvertisementSettings { Prefixes = [Prefix], Communities = ["64513:2"], LocalPref = 300, Peers = [B] },
        ]));

        var status = StatusOf(Prefix, s => s.Peers.Count > 0);
        Assert.Equal(["203.0.113.1", "203.0.113.5"], status.Peers);
        Assert.Equal("communities 64513:1 to 203.0.113.1; communities 64513:2 local-pref 300 to 203.0.113.5", status.Attributes);
        Assert.Equal(["loadbalancer"], status.Sources);
    }

    [Fact]
    public void A_source_only_shadows_another_for_the_peers_it_sends_to()
    {
        // "config" sorts first and claims the prefix for A only; B still gets the load balancer's.
        var speaker = Sys.ActorOf(BgpSpeaker.Props(Settings(new BgpAdvertisementSettings { Prefixes = [Prefix], Communities = ["64513:9"], Peers = [A] }), TestActor));
        speaker.Tell(new BgpSpeaker.SetAdvertisements("loadbalancer", [new BgpAdvertisementSettings { Prefixes = [Prefix], Communities = ["64513:2"] }]));

        var status = StatusOf(Prefix, s => s.Sources.Count == 2);
        Assert.Equal(["config", "loadbalancer"], status.Sources);
        Assert.Equal(["203.0.113.1", "203.0.113.5"], status.Peers);
        Assert.Equal("communities 64513:9 to 203.0.113.1; communities 64513:2 to 203.0.113.5", status.Attributes);

        speaker.Tell(new BgpSpeaker.SetAdvertisements("loadbalancer", []));
        var after = StatusOf(Prefix, s => s.Sources.Count == 1);
        Assert.Equal(["203.0.113.1"], after.Peers);
        Assert.Equal("communities 64513:9", after.Attributes);
    }
}
