using System.Net;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Actors.Store;
using Fabric.Vip.Bgp.Node;
using Fabric.Vip.Tests.LoadBalancer;
using Fabric.Vip.Tests.LoadBalancer.Sources.ApiServer;

namespace Fabric.Vip.Tests.Bgp;

/// <summary>The node's BGP controller takes its MetalLB BGPPeers from the node's load balancer config, so a BGPPeer
/// created in the Kubernetes API joins the node's one speaker as one from the file does.</summary>
public sealed class BgpNodeControllerTests : Akka.TestKit.Xunit2.TestKit
{
    private sealed class Speaker : ReceiveActor
    {
        public Speaker(BgpSettings settings, IActorRef probe)
        {
            probe.Tell(settings);
            Receive<Fabric.Vip.Bgp.Speaker.BgpSpeaker.Apply>(a => probe.Tell(a.Settings));
            ReceiveAny(_ => { });
        }
    }

    [Fact]
    public void A_BGPPeer_from_the_Kubernetes_API_starts_the_speaker_with_its_session()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        var config = ConfigLoader.Parse("""
            version: v1alpha1
            machine:
              network:
                interfaces:
                  - {interface: eth0, addresses: [203.0.113.2/24]}
            """, "node.yaml").Config!;
        var probe = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new BgpNodeController(store, "n1", (s, _) => Props.Create(() => new Speaker(s, probe.Ref)))));

        // No fabric.bgp and no BGPPeer: no speaker.
        LbTestData.PublishWithApi(store, config, 1, KubeObjects.IpAddressPool("public", "198.51.100.0/24"));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        LbTestData.PublishWithApi(store, config, 2, KubeObjects.IpAddressPool("public", "198.51.100.0/24"), KubeObjects.BgpPeer("tor", "203.0.113.1", 64500));
        var settings = probe.ExpectMsg<BgpSettings>(TimeSpan.FromSeconds(5));
        Assert.Equal(64512u, settings.Asn);
        Assert.Equal(IPAddress.Parse("203.0.113.2"), settings.RouterId);
        var peer = Assert.Single(settings.Peers);
        Assert.Equal((IPAddress.Parse("203.0.113.1"), 64500u, TimeSpan.FromSeconds(90)), (peer.Address, peer.Asn, peer.HoldTime));
    }
}
