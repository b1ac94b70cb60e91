using System.Net;
using Akka.Actor;
using Fabric.Actors;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Bgp.Speaker;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Announce;
using Fabric.Vip.LoadBalancer.Node;

namespace Fabric.Vip.Tests.LoadBalancer.Announce;

/// <summary>The announcer actor between the store (config, allocations) and the node's BGP controller.</summary>
public sealed class BgpServiceAnnouncerTests : Akka.TestKit.Xunit2.TestKit
{
    private static string Config(string policy = "Cluster") => $$"""
        machine:
          network:
            interfaces:
              - {interface: eth0, addresses: [203.0.113.2/24]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: public}
        spec: {addresses: [198.51.100.0/24]}
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: tor}
        spec: {myASN: 64513, peerASN: 64512, peerAddress: 203.0.113.1}
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: ads}
        spec: {communities: ["64513:100"]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec: {type: LoadBalancer, externalTrafficPolicy: {{policy}}, ports: [{port: 443}]}
        """;

    private static MachineConfig Parse(string yaml)
    {
        var result = ConfigLoader.Parse(yaml, "node.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        return result.Config!;
    }

    private static Write Allocation(string service, params string[] ips) => Write.One(LoadBalancerNodeController.OwnerName, new Put(
        new ResourceKey(LoadBalancerResources.Service.Namespace, LoadBalancerResources.Service.Name, service),
        new ServiceState { Service = service, Ips = ips, Pool = "public" }));

    private ServiceBgpState? StateOf(IActorRef store, string service)
    {
        var key = new ResourceKey(ServiceBgpResources.State.Namespace, ServiceBgpResources.State.Name, service);
        return store.Ask<GetResult>(new Get(key), TimeSpan.FromSeconds(5)).Result.Resource?.Spec as ServiceBgpState;
    }

    [Fact]
    public void Allocations_become_the_loadbalancer_source_of_the_speaker_and_go_when_the_service_goes()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        LbTestData.PublishFile(store, Parse(Config()), 1);
        store.Tell(Allocation("default/web", "198.51.100.7"), ActorRefs.NoSender);
        Sys.ActorOf(BgpServiceAnnouncer.Props(store, TestActor, "n1"));

        var set = FishForMessage<BgpSpeaker.SetAdvertisements>(s => s.Advertisements.Count > 0);
        Assert.Equal("loadbalancer", set.Source);
        var ad = Assert.Single(set.Advertisements);
        Assert.Equal([IpPrefix.Parse("198.51.100.7/32")], ad.Prefixes);
        Assert.Equal(["64513:100"], ad.Communities);
        Assert.Equal([IPAddress.Parse("203.0.113.1")], ad.Peers);
        AwaitAssert(() => Assert.Equal(["tor/203.0.113.1"], StateOf(store, "default/web")?.Peers), TimeSpan.FromSeconds(5));

        store.Tell(new Write(LoadBalancerNodeController.OwnerName, [],
            [new ResourceKey(LoadBalancerResources.Service.Namespace, LoadBalancerResources.Service.Name, "default/web")]), ActorRefs.NoSender);
        Assert.Empty(ExpectMsg<BgpSpeaker.SetAdvertisements>().Advertisements);
        AwaitAssert(() => Assert.Null(StateOf(store, "default/web")), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_BGPAdvertisement_BGPPeer_and_Community_from_the_Kubernetes_API_are_announced_as_ones_from_the_file_are()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        var network = Parse("""
            machine:
              network:
                interfaces:
                  - {interface: eth0, addresses: [203.0.113.2/24]}
            """);
        LbTestData.PublishWithApi(store, network, 1,
            Sources.ApiServer.KubeObjects.IpAddressPool("public", "198.51.100.0/24"),
            Sources.ApiServer.KubeObjects.BgpPeer("tor", "203.0.113.1", 64500),
            Sources.ApiServer.KubeObjects.Community("aliases", "no-advertise", "65535:65282"),
            Sources.ApiServer.KubeObjects.BgpAdvertisement("ads", "public", "no-advertise"));
        store.Tell(Allocation("default/web", "198.51.100.7"), ActorRefs.NoSender);
        Sys.ActorOf(BgpServiceAnnouncer.Props(store, TestActor, "n1"));

        var set = FishForMessage<BgpSpeaker.SetAdvertisements>(s => s.Advertisements.Count > 0);
        var ad = Assert.Single(set.Advertisements);
        Assert.Equal([IpPrefix.Parse("198.51.100.7/32")], ad.Prefixes);
        Assert.Equal(["65535:65282"], ad.Communities);
        Assert.Equal([IPAddress.Parse("203.0.113.1")], ad.Peers);
        AwaitAssert(() => Assert.Equal(["tor/203.0.113.1"], StateOf(store, "default/web")?.Peers), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_kubernetes_source_with_no_ready_endpoint_here_withdraws_a_local_service()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        LbTestData.PublishFile(store, Parse(Config()), 1);
        store.Tell(Allocation("prod/api", "198.51.100.8"), ActorRefs.NoSender);
        var announcer = Sys.ActorOf(BgpServiceAnnouncer.Props(store, TestActor, "n1"));
        FishForMessage<BgpSpeaker.SetAdvertisements>(s => s.Advertisements.Count > 0);

        var api = new LoadBalancerService { Namespace = "prod", Name = "api", ExternalTrafficPolicy = "Local", ReadyNodes = ["n2"] };
        announcer.Tell(new ServiceSourceMessages.Snapshot("kubernetes", [api]));
        Assert.Empty(ExpectMsg<BgpSpeaker.SetAdvertisements>().Advertisements);
        AwaitAssert(() => Assert.Equal("externalTrafficPolicy Local and no ready endpoint on this node", StateOf(store, "prod/api")?.Reason),
            TimeSpan.FromSeconds(5));

        announcer.Tell(new ServiceSourceMessages.Upserted("kubernetes", api with { ReadyNodes = ["n1", "n2"] }));
        Assert.Single(ExpectMsg<BgpSpeaker.SetAdvertisements>().Advertisements);
    }

    [Fact]
    public void A_config_service_with_local_policy_is_announced_with_a_warning()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        LbTestData.PublishFile(store, Parse(Config("Local")), 1);
        store.Tell(Allocation("default/web", "198.51.100.7"), ActorRefs.NoSender);
        Sys.ActorOf(BgpServiceAnnouncer.Props(store, TestActor, "n1"));

        FishForMessage<BgpSpeaker.SetAdvertisements>(s => s.Advertisements.Count > 0);
        AwaitAssert(() => Assert.Contains("knows no endpoints", StateOf(store, "default/web")?.Warning), TimeSpan.FromSeconds(5));
    }
}
