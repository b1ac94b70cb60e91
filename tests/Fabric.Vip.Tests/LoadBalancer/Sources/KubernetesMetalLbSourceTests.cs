using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using Fabric.Vip.LoadBalancer.Sources.Kubernetes;
using Fabric.Vip.Tests.LoadBalancer.Sources.ApiServer;
using k8s;
using static Fabric.Vip.LoadBalancer.ServiceSourceMessages;

namespace Fabric.Vip.Tests.LoadBalancer.Sources;

/// <summary>The Kubernetes source's MetalLB side against the in-test API server: real metallb.io/v1beta1 and v1beta2
/// objects listed and watched, created, modified and deleted, re-listed after 410 Gone, CRDs that are not installed,
/// Warning Events on objects the config reader found wrong, and only MetalLB's own namespace read.</summary>
public sealed class KubernetesMetalLbSourceTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SlowestRetry = TimeSpan.FromMilliseconds(300);
    private readonly FakeKubernetesApiServer _api = new();
    private readonly TestProbe _target;
    private readonly List<IActorRef> _sources = [];

    public KubernetesMetalLbSourceTests(Xunit.Abstractions.ITestOutputHelper output) : base("akka.loglevel = INFO", output) =>
        _target = CreateTestProbe();

    public Task InitializeAsync() => _api.StartAsync();

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_sources.Select(s => s.GracefulStop(Wait)));
        await _api.DisposeAsync();
    }

    /// <summary>One probe gets both the services and the MetalLB objects, so their order shows.</summary>
    private IActorRef StartSource(string? metalLbNamespace = null)
    {
        var defaults = new KubernetesSourceSettings { Client = new KubernetesClientConfiguration() };
        var source = Sys.ActorOf(KubernetesServiceSource.Props(new KubernetesSourceSettings
        {
            Client = new KubernetesClientConfiguration { Host = _api.Url },
            MetalLbNamespace = metalLbNamespace ?? defaults.MetalLbNamespace,
            Backoff = new RetryBackoff(TimeSpan.FromMilliseconds(50), SlowestRetry),
            WatchIdleTimeout = TimeSpan.FromMinutes(1),
            Instance = "node-a",
        }, _target, _target));
        _sources.Add(source);
        return source;
    }

    private KubernetesSourceMessages.MetalLbObjectsChanged NextObjects(Func<KubernetesSourceMessages.MetalLbObjectsChanged, bool> until) =>
        (KubernetesSourceMessages.MetalLbObjectsChanged)_target.FishForMessage(
            m => m is KubernetesSourceMessages.MetalLbObjectsChanged c && until(c), Wait);

    private static IEnumerable<string> Names(KubernetesSourceMessages.MetalLbObjectsChanged m) =>
        m.Objects.Select(o => $"{o.GetProperty("kind").GetString()}/{o.GetProperty("metadata").GetProperty("name").GetString()}");

    private static string Addresses(KubernetesSourceMessages.MetalLbObjectsChanged m, string pool) =>
        string.Join(",", m.Objects.Single(o => o.GetProperty("metadata").GetProperty("name").GetString() == pool)
            .GetProperty("spec").GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));

    [Fact]
    public void The_MetalLb_objects_come_whole_before_the_first_services_and_follow_every_change_and_a_relist()
    {
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.0/28"));
        _api.Put("l2advertisements", KubeObjects.L2Advertisement("l2", "public"));
        _api.Put("communities", KubeObjects.Community("aliases", "no-export", "65535:65281"));
        _api.Put("bgpadvertisements", KubeObjects.BgpAdvertisement("bgp", "public", "no-export"));
        _api.Put("bgppeers", KubeObjects.BgpPeer("tor", "203.0.113.1", 64500));
        _api.Put("services", KubeObjects.Service("web"));
        StartSource();

        // Every kind listed before anything is said; the services after, so their pools are known first.
        var first = _target.ExpectMsg<KubernetesSourceMessages.MetalLbObjectsChanged>(Wait);
        Assert.Equal(["BGPAdvertisement/bgp", "BGPPeer/tor", "Community/aliases", "IPAddressPool/public", "L2Advertisement/l2"], Names(first).Order());
        Assert.Empty(first.Absent!);
        _target.FishForMessage(m => m is Snapshot, Wait);
        AwaitCondition(() => _api.Watches("ipaddresspools") >= 1, Wait);

        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.0/27"));
        Assert.Equal("198.51.100.0/27", Addresses(NextObjects(m => Addresses(m, "public") != "198.51.100.0/28"), "public"));
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("extra", "203.0.113.0/28"));
        NextObjects(m => Names(m).Contains("IPAddressPool/extra"));
        _api.Delete("bgppeers", "metallb-system", "tor");
        NextObjects(m => !Names(m).Contains("BGPPeer/tor"));

        // History compacted and the watches told 410: a change made meanwhile (its event lost) arrives with the re-list.
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("late", "192.0.2.0/29"), silent: true);
        _api.ExpireWatches();
        var relisted = NextObjects(m => Names(m).Contains("IPAddressPool/late"));
        Assert.Equal(["BGPAdvertisement/bgp", "Community/aliases", "IPAddressPool/extra", "IPAddressPool/late", "IPAddressPool/public", "L2Advertisement/l2"],
            Names(relisted).Order());
        Assert.True(_api.Lists("ipaddresspools") >= 2);
    }

    [Fact]
    public async Task A_MetalLb_CRD_that_is_not_installed_counts_as_empty_is_said_once_is_checked_slowly_and_is_read_when_it_comes()
    {
        _api.Absent["bgppeers"] = true;
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.0/28"));
        _api.Put("services", KubeObjects.Service("web"));
        StartSource();

        var first = _target.ExpectMsg<KubernetesSourceMessages.MetalLbObjectsChanged>(Wait);
        Assert.Equal(["IPAddressPool/public"], Names(first));
        Assert.Single(first.Absent!);
        Assert.StartsWith("bgppeers.metallb.io: not found", first.Absent![0]);
        // Services are not held back by a missing CRD.
        _target.FishForMessage(m => m is Snapshot, Wait);

        // Checked again at the slowest retry pace, not in a loop, and said only once.
        var before = _api.Lists("bgppeers");
        var watched = DateTime.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var checks = _api.Lists("bgppeers") - before;
        var most = (int)((DateTime.UtcNow - watched) / SlowestRetry) + 2;
        Assert.InRange(checks, 1, most);
        Assert.DoesNotContain(_target.ReceiveWhile<object>(TimeSpan.FromMilliseconds(100), m => m), m => m is KubernetesSourceMessages.MetalLbObjectsChanged);

        // The CRD is installed and a peer created: it is read, and no kind is absent any more.
        _api.Put("bgppeers", KubeObjects.BgpPeer("tor", "203.0.113.1", 64500));
        _api.Absent.TryRemove("bgppeers", out _);
        var installed = NextObjects(m => Names(m).Contains("BGPPeer/tor"));
        Assert.Empty(installed.Absent!);
    }

    [Fact]
    public void Wrong_MetalLb_objects_get_one_Warning_Event_each_from_the_leader_only()
    {
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.0/28"));
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("clash", "198.51.100.8/29"));
        var source = StartSource();
        _target.ExpectMsg<KubernetesSourceMessages.MetalLbObjectsChanged>(Wait);
        var problems = new KubernetesSourceMessages.MetalLbProblems(new Dictionary<string, string>
        {
            ["k8s:ipaddresspool/clash"] = "IPAddressPool(clash).spec.addresses[0]: 198.51.100.8/29 overlaps 198.51.100.0-198.51.100.15 of IPAddressPool public",
        });

        source.Tell(problems);
        Thread.Sleep(500);
        Assert.Empty(_api.Events);

        source.Tell(new KubernetesSourceMessages.SetLeader(true));
        AwaitCondition(() => !_api.Events.IsEmpty, Wait);
        var e = Assert.Single(_api.Events);
        Assert.Equal(("Warning", "InvalidConfiguration"), (e["type"]!.GetValue<string>(), e["reason"]!.GetValue<string>()));
        Assert.Equal(("metallb.io/v1beta1", "IPAddressPool", "clash", "metallb-system"),
            (e["involvedObject"]!["apiVersion"]!.GetValue<string>(), e["involvedObject"]!["kind"]!.GetValue<string>(),
             e["involvedObject"]!["name"]!.GetValue<string>(), e["involvedObject"]!["namespace"]!.GetValue<string>()));
        Assert.Contains("spec.addresses[0]", e["message"]!.GetValue<string>());

        // The same problem said again, or the set re-sent, records nothing new.
        source.Tell(problems);
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.0/28"));
        _target.FishForMessage(m => m is KubernetesSourceMessages.MetalLbObjectsChanged, Wait);
        Thread.Sleep(500);
        Assert.Single(_api.Events);
    }

    [Fact]
    public void Only_metallb_system_is_read_so_copies_in_other_namespaces_are_ignored_in_the_list_the_watch_and_a_relist()
    {
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.0/28"));
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "203.0.113.0/28").In("tenant-a"));
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("stray", "192.0.2.0/28").In("tenant-a"));
        _api.Put("bgppeers", KubeObjects.BgpPeer("tor", "203.0.113.1", 64500).In("default"));
        _api.Put("services", KubeObjects.Service("web"));
        StartSource();

        var first = _target.ExpectMsg<KubernetesSourceMessages.MetalLbObjectsChanged>(Wait);
        Assert.Equal(["IPAddressPool/public"], Names(first));
        Assert.Equal("198.51.100.0/28", Addresses(first, "public"));
        _target.FishForMessage(m => m is Snapshot, Wait);
        // Asked of the API per namespace, never across all of them.
        AwaitCondition(() => _api.Watches("ipaddresspools", "metallb-system") >= 1, Wait);
        foreach (var kind in MetalLbKind.All)
        {
            Assert.True(_api.Lists(kind.Plural, "metallb-system") >= 1, kind.Plural);
            Assert.Equal(0, _api.Lists(kind.Plural, FakeKubernetesApiServer.AllNamespaces));
            Assert.Equal(0, _api.Watches(kind.Plural, FakeKubernetesApiServer.AllNamespaces));
        }

        // A change elsewhere is not seen; the next change in metallb-system comes alone.
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("other", "192.0.2.16/28").In("tenant-b"));
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("extra", "198.51.100.16/28"));
        var changed = NextObjects(m => Names(m).Contains("IPAddressPool/extra"));
        Assert.Equal(["IPAddressPool/extra", "IPAddressPool/public"], Names(changed).Order());

        // A re-list after 410 Gone is scoped the same way.
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("late", "198.51.100.32/28"), silent: true);
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("late-elsewhere", "192.0.2.32/28").In("tenant-a"), silent: true);
        _api.ExpireWatches();
        var relisted = NextObjects(m => Names(m).Contains("IPAddressPool/late"));
        Assert.Equal(["IPAddressPool/extra", "IPAddressPool/late", "IPAddressPool/public"], Names(relisted).Order());
        Assert.True(_api.Lists("ipaddresspools", "metallb-system") >= 2);
        Assert.Equal(0, _api.Lists("ipaddresspools", FakeKubernetesApiServer.AllNamespaces));
    }

    [Fact]
    public void A_configured_MetalLb_namespace_is_read_instead_of_metallb_system()
    {
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.0/28").In("lb-system"));
        _api.Put("l2advertisements", KubeObjects.L2Advertisement("l2", "public").In("lb-system"));
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("ignored", "203.0.113.0/28"));
        StartSource("lb-system");

        var first = _target.ExpectMsg<KubernetesSourceMessages.MetalLbObjectsChanged>(Wait);
        Assert.Equal(["IPAddressPool/public", "L2Advertisement/l2"], Names(first).Order());
        AwaitCondition(() => _api.Watches("ipaddresspools", "lb-system") >= 1, Wait);
        Assert.Equal(0, _api.Lists("ipaddresspools", "metallb-system"));

        _api.Delete("l2advertisements", "lb-system", "l2");
        Assert.Equal(["IPAddressPool/public"], Names(NextObjects(m => !Names(m).Contains("L2Advertisement/l2"))));
    }
}
