using System.Net;
using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Sources.Kubernetes;
using Fabric.Vip.Tests.LoadBalancer.Sources.ApiServer;
using k8s;
using static Fabric.Vip.LoadBalancer.ServiceSourceMessages;

namespace Fabric.Vip.Tests.LoadBalancer.Sources;

public sealed class KubernetesServiceSourceTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeKubernetesApiServer _api = new();
    private readonly TestProbe _allocator;
    private readonly TestProbe _metalLb;

    public KubernetesServiceSourceTests(Xunit.Abstractions.ITestOutputHelper output) : base("akka.loglevel = INFO", output)
    {
        _allocator = CreateTestProbe();
        _metalLb = CreateTestProbe();
    }

    private readonly List<IActorRef> _sources = [];

    public Task InitializeAsync() => _api.StartAsync();

    public async Task DisposeAsync()
    {
        // Stop the sources first, or they keep reconnecting while the server shuts down.
        await Task.WhenAll(_sources.Select(s => s.GracefulStop(Wait)));
        await _api.DisposeAsync();
    }

    /// <summary>Watches stay the ones the test saw open unless it asks for a short idle timeout: a re-watch in
    /// flight when the test sends a bookmark would miss it.</summary>
    private IActorRef StartSource(string? loadBalancerClass = null, TimeSpan? watchIdleTimeout = null)
    {
        var source = Sys.ActorOf(KubernetesServiceSource.Props(new KubernetesSourceSettings
        {
            Client = new KubernetesClientConfiguration { Host = _api.Url },
            LoadBalancerClass = loadBalancerClass,
            Backoff = new RetryBackoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200)),
            WatchIdleTimeout = watchIdleTimeout ?? TimeSpan.FromMinutes(1),
            Instance = "node-a",
        }, _allocator, _metalLb));
        _sources.Add(source);
        return source;
    }

    private void SeedTwoServices()
    {
        _api.Put("services", KubeObjects.Service("web", annotations: new() { ["metallb.io/loadBalancerIPs"] = "192.0.2.10" }));
        _api.Put("services", KubeObjects.Service("dns", "infra", externalTrafficPolicy: "Local", port: 53,
            annotations: new() { ["metallb.universe.tf/address-pool"] = "infra", ["metallb.io/allow-shared-ip"] = "dns" }));
        _api.Put("services", KubeObjects.Service("internal", type: "ClusterIP"));
        _api.Put("services", KubeObjects.Service("other", loadBalancerClass: "example.com/other-lb"));
        _api.Put("endpointslices", KubeObjects.EndpointSlice("dns", "x7k2p", "infra", ("node-a", true), ("node-b", false)));
    }

    private Snapshot ExpectSnapshot() => _allocator.ExpectMsg<Snapshot>(Wait);

    /// <summary>The snapshot goes out when both lists are in, a moment before the watches reach the server; tests
    /// that play with the watches themselves wait for them.</summary>
    private void AwaitWatching() => AwaitCondition(() => _api.Watches("services") >= 1 && _api.Watches("endpointslices") >= 1, Wait);

    [Fact]
    public void Initial_snapshot_holds_the_load_balancer_services_of_no_other_class_with_ready_nodes_from_slices()
    {
        SeedTwoServices();
        StartSource();

        var snapshot = ExpectSnapshot();
        Assert.Equal("kubernetes", snapshot.Source);
        Assert.Equal(["default/web", "infra/dns"], snapshot.Services.Select(s => s.Key));
        var dns = snapshot.Services[1];
        Assert.Equal("Local", dns.ExternalTrafficPolicy);
        Assert.Equal(["node-a"], dns.ReadyNodes);
        Assert.Equal("infra", dns.RequestedPool);
        Assert.Equal("dns", dns.SharingKey);
        Assert.Equal([new ServicePort("TCP", 53)], dns.Ports);
        Assert.Equal([IPAddress.Parse("192.0.2.10")], snapshot.Services[0].RequestedIps);
    }

    [Fact]
    public void A_configured_class_serves_only_services_of_that_class()
    {
        SeedTwoServices();
        StartSource("example.com/other-lb");
        Assert.Equal(["default/other"], ExpectSnapshot().Services.Select(s => s.Key));
    }

    [Fact]
    public void Add_modify_and_delete_arrive_in_order()
    {
        SeedTwoServices();
        StartSource();
        ExpectSnapshot();

        _api.Put("services", KubeObjects.Service("api", annotations: new() { ["metallb.io/loadBalancerIPs"] = "198.51.100.7" }));
        _api.Put("services", KubeObjects.Service("api", annotations: new() { ["metallb.io/loadBalancerIPs"] = "198.51.100.8" }));
        _api.Delete("services", "default", "api");
        _api.Put("services", KubeObjects.Service("internal", type: "LoadBalancer"));

        Assert.Equal([IPAddress.Parse("198.51.100.7")], _allocator.ExpectMsg<Upserted>(Wait).Service.RequestedIps);
        Assert.Equal([IPAddress.Parse("198.51.100.8")], _allocator.ExpectMsg<Upserted>(Wait).Service.RequestedIps);
        Assert.Equal("api", _allocator.ExpectMsg<Deleted>(Wait).Name);
        Assert.Equal("internal", _allocator.ExpectMsg<Upserted>(Wait).Service.Name);
    }

    [Fact]
    public void Endpoint_readiness_changes_the_ready_nodes()
    {
        SeedTwoServices();
        StartSource();
        ExpectSnapshot();

        _api.Put("endpointslices", KubeObjects.EndpointSlice("dns", "x7k2p", "infra", ("node-a", true), ("node-b", true)));
        Assert.Equal(["node-a", "node-b"], _allocator.ExpectMsg<Upserted>(Wait).Service.ReadyNodes);

        _api.Put("endpointslices", KubeObjects.EndpointSlice("dns", "q2w9z", "infra", ("node-c", true)));
        Assert.Equal(["node-a", "node-b", "node-c"], _allocator.ExpectMsg<Upserted>(Wait).Service.ReadyNodes);

        _api.Delete("endpointslices", "infra", "dns-x7k2p");
        Assert.Equal(["node-c"], _allocator.ExpectMsg<Upserted>(Wait).Service.ReadyNodes);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void After_410_Gone_a_relist_sends_a_snapshot_with_nothing_lost_or_duplicated(bool goneAsHttpStatus)
    {
        SeedTwoServices();
        StartSource();
        ExpectSnapshot();
        AwaitWatching();

        // Changes the source never hears about, then the history that would replay them is compacted away.
        _api.Put("services", KubeObjects.Service("api", annotations: new() { ["metallb.io/loadBalancerIPs"] = "203.0.113.5" }), silent: true);
        _api.Delete("services", "default", "web", silent: true);
        _api.Put("services", KubeObjects.Service("dns", "infra", externalTrafficPolicy: "Cluster", port: 53), silent: true);
        _api.GoneAsHttpStatus = goneAsHttpStatus;
        if (goneAsHttpStatus) { _api.Compact(); _api.DropWatches(); }
        else _api.ExpireWatches();

        // Each kind re-lists on its own (services, endpointslices) and each re-list sends a whole snapshot; the one
        // after the services re-list is the truth, and the watch goes on from it.
        var snapshots = new List<Snapshot> { ExpectSnapshot() };
        AwaitCondition(() => _api.Lists("services") == 2 && _api.Lists("endpointslices") == 2, Wait);
        _api.Put("services", KubeObjects.Service("late"));
        object message;
        while ((message = _allocator.ReceiveOne(Wait)!) is Snapshot more) snapshots.Add(more);
        Assert.Equal("late", Assert.IsType<Upserted>(message).Service.Name);

        var snapshot = snapshots[^1];
        Assert.Equal(["default/api", "infra/dns"], snapshot.Services.Select(s => s.Key));
        Assert.Equal("Cluster", snapshot.Services[1].ExternalTrafficPolicy);
        Assert.Equal([IPAddress.Parse("203.0.113.5")], snapshot.Services[0].RequestedIps);
        Assert.Equal(2, _api.Lists("services"));
    }

    [Fact]
    public void After_the_server_drops_the_watch_the_source_watches_again_from_where_it_was()
    {
        SeedTwoServices();
        StartSource();
        ExpectSnapshot();
        AwaitWatching();
        var lists = _api.Lists("services");

        _api.DropWatches();
        _api.Put("services", KubeObjects.Service("api"));

        Assert.Equal("api", _allocator.ExpectMsg<Upserted>(Wait).Service.Name);
        // Watched again (after its backoff, which a loaded machine stretches), and never listed again.
        AwaitCondition(() => _api.Watches("services") >= 2, TimeSpan.FromSeconds(30));
        Assert.Equal(lists, _api.Lists("services"));
    }

    [Fact]
    public void A_watch_silent_for_the_idle_timeout_is_opened_again_from_where_it_was_without_a_list()
    {
        SeedTwoServices();
        StartSource(watchIdleTimeout: TimeSpan.FromMilliseconds(300));
        ExpectSnapshot();
        AwaitCondition(() => _api.Watches("services") >= 3, Wait);

        _api.Put("services", KubeObjects.Service("api"));
        Assert.Equal("api", _allocator.ExpectMsg<Upserted>(Wait).Service.Name);
        Assert.Equal(1, _api.Lists("services"));
    }

    [Fact]
    public void A_bookmark_moves_the_watch_version_so_a_compaction_does_not_force_a_relist()
    {
        SeedTwoServices();
        StartSource();
        ExpectSnapshot();
        AwaitWatching();
        // Versions move on in another collection; only a bookmark tells the services watch about it.
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("default-pool", "192.0.2.0/24"));
        _api.SendBookmarks();
        AwaitCondition(() => _metalLb.HasMessages, Wait);
        ExpectNoMsgFor(_allocator, TimeSpan.FromMilliseconds(300)); // the bookmark is consumed; nothing to publish
        _api.Compact();
        _api.DropWatches();
        _api.Put("services", KubeObjects.Service("api"));

        Assert.Equal("api", _allocator.ExpectMsg<Upserted>(Wait).Service.Name);
        Assert.Equal(1, _api.Lists("services"));
    }

    [Fact]
    public void Status_is_written_only_while_leader_with_the_allocated_ips()
    {
        SeedTwoServices();
        var source = StartSource();
        ExpectSnapshot();

        source.Tell(new ServiceAllocation { Service = "default/web", Ips = [IPAddress.Parse("192.0.2.10")], Pool = "default-pool" });
        source.Tell(new ServiceAllocation { Service = "infra/dns", Ips = [IPAddress.Parse("198.51.100.53"), IPAddress.Parse("2001:db8::53")], Pool = "infra" });
        ExpectNoMsgFor(_allocator, TimeSpan.FromMilliseconds(500));
        Assert.Empty(_api.StatusWrites);

        source.Tell(new KubernetesSourceMessages.SetLeader(true));
        AwaitCondition(() => _api.StatusWrites.Count == 2, Wait);
        Assert.Equal(["192.0.2.10"], Ingress(_api.Get("services", "default", "web")!));
        Assert.Equal(["198.51.100.53", "2001:db8::53"], Ingress(_api.Get("services", "infra", "dns")!));
        // The status write comes back through the watch; it changes nothing the allocator cares about.
        ExpectNoMsgFor(_allocator, TimeSpan.FromMilliseconds(500));

        source.Tell(new KubernetesSourceMessages.SetLeader(false));
        source.Tell(new ServiceAllocation { Service = "default/web", Ips = [IPAddress.Parse("192.0.2.11")] });
        ExpectNoMsgFor(_allocator, TimeSpan.FromMilliseconds(300));
        Assert.Equal(2, _api.StatusWrites.Count);
        Assert.All(_api.StatusWrites, w => Assert.Equal("PATCH", w.Method));
    }

    [Fact]
    public void The_leader_records_events_for_allocations_and_failures()
    {
        SeedTwoServices();
        var source = StartSource();
        ExpectSnapshot();
        source.Tell(new KubernetesSourceMessages.SetLeader(true));

        source.Tell(new ServiceAllocation { Service = "default/web", Ips = [IPAddress.Parse("192.0.2.10")], Pool = "default-pool" });
        source.Tell(new ServiceAllocation { Service = "infra/dns", Error = "no available IPs in pool \"infra\"" });

        AwaitCondition(() => _api.Events.Count == 2, Wait);
        var events = _api.Events.ToDictionary(e => e["reason"]!.GetValue<string>());
        var failed = events["AllocationFailed"];
        Assert.Equal("Warning", failed["type"]!.GetValue<string>());
        Assert.Equal("no available IPs in pool \"infra\"", failed["message"]!.GetValue<string>());
        Assert.Equal("dns", failed["involvedObject"]!["name"]!.GetValue<string>());
        Assert.Equal("infra", failed["metadata"]!["namespace"]!.GetValue<string>());
        var allocated = events["IPAllocated"];
        Assert.Equal("Normal", allocated["type"]!.GetValue<string>());
        Assert.Contains("192.0.2.10", allocated["message"]!.GetValue<string>());
        Assert.Equal("Service", allocated["involvedObject"]!["kind"]!.GetValue<string>());

        // The same failure again is not news.
        source.Tell(new ServiceAllocation { Service = "infra/dns", Error = "no available IPs in pool \"infra\"" });
        ExpectNoMsgFor(_allocator, TimeSpan.FromMilliseconds(300));
        Assert.Equal(2, _api.Events.Count);
    }

    [Fact]
    public void MetalLb_objects_are_forwarded_raw_on_every_change()
    {
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("default-pool", "192.0.2.0/24", "2001:db8:1::/64"));
        _api.Put("bgppeers", KubeObjects.BgpPeer("tor", "203.0.113.1", 64500));
        StartSource();

        var complete = FishFor(2);
        Assert.Equal(["BGPPeer", "IPAddressPool"], complete.Objects.Select(o => o.GetProperty("kind").GetString()).Order());
        Assert.Equal("192.0.2.0/24", complete.Objects.Single(o => o.GetProperty("kind").GetString() == "IPAddressPool")
            .GetProperty("spec").GetProperty("addresses")[0].GetString());

        _api.Put("l2advertisements", KubeObjects.L2Advertisement("l2", "default-pool"));
        FishFor(3);
        _api.Delete("bgppeers", "metallb-system", "tor");
        Assert.Equal(["metallb.io/v1beta1"], FishFor(2).Objects.Select(o => o.GetProperty("apiVersion").GetString()).Distinct());
    }

    private KubernetesSourceMessages.MetalLbObjectsChanged FishFor(int count) =>
        (KubernetesSourceMessages.MetalLbObjectsChanged)_metalLb.FishForMessage(
            m => m is KubernetesSourceMessages.MetalLbObjectsChanged c && c.Objects.Count == count, Wait);

    private static List<string> Ingress(System.Text.Json.Nodes.JsonObject service) =>
        service["status"]!["loadBalancer"]!["ingress"]!.AsArray().Select(i => i!["ip"]!.GetValue<string>()).ToList();

    private static void ExpectNoMsgFor(TestProbe probe, TimeSpan duration) => probe.ExpectNoMsg(duration);
}
