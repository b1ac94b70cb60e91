using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Election;
using Fabric.Vip.LoadBalancer.Announce;
using Fabric.Vip.LoadBalancer.Node;
using Fabric.Vip.Node;

namespace Fabric.Vip.Tests.LoadBalancer.Announce;

/// <summary>The controller on a cluster of one, against the real store: ServiceState and config in, the owner's
/// AddressSpec, announcements and ServiceL2State out, following eligibility and the service's life.</summary>
public sealed class ServiceL2ControllerTests() : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString(LeaseDispatcher.Hocon))
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly ResourceKey WebState = new(ServiceL2Resources.Namespace, ServiceL2Resources.State.Name, "192.0.2.200");

    private sealed class Announcer : IVipAnnouncer
    {
        public readonly ConcurrentQueue<string> Calls = new();
        public string Name => "layer2";
        public Task AnnounceAsync(VipAnnouncement vip, CancellationToken ct) { Calls.Enqueue($"announce {vip.Ip} {vip.Link}"); return Task.CompletedTask; }
        public Task RefreshAsync(VipAnnouncement vip, CancellationToken ct) => Task.CompletedTask;
        public Task WithdrawAsync(VipAnnouncement vip, CancellationToken ct) { Calls.Enqueue($"withdraw {vip.Ip}"); return Task.CompletedTask; }
        public void Dispose() { }
    }

    private const string Network = """
        version: v1alpha1
        machine:
          network:
            hostname: node-a
            interfaces:
              - interface: br0
                addresses: [192.0.2.11/24]
        """;

    private static MachineConfig Config(string l2Spec = "{}") => ConfigLoader.Parse(Network + $$"""

        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: lan}
        spec: {addresses: [192.0.2.200-192.0.2.210, 203.0.113.0/28]}
        ---
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        metadata: {name: lan}
        spec: {{l2Spec}}
        """, "node.yaml").Config ?? throw new InvalidOperationException("test config is invalid");

    private static Write Allocated(string service, params string[] ips) => Write.One(LoadBalancerNodeController.OwnerName,
        new Put(new ResourceKey(LoadBalancerResources.Service.Namespace, LoadBalancerResources.Service.Name, service),
            new ServiceState { Service = service, Ips = ips, Pool = "lan" }));

    private static Write Deleted(string service) => new(LoadBalancerNodeController.OwnerName, [],
        [new ResourceKey(LoadBalancerResources.Service.Namespace, LoadBalancerResources.Service.Name, service)]);

    private async Task<ServiceL2State?> StateAsync(IActorRef store, ResourceKey key) =>
        (await store.Ask<GetResult>(new Get(key))).Resource?.Spec as ServiceL2State;

    /// <summary>The service IPs' AddressSpecs at layer operator: "link address".</summary>
    private async Task<List<string>> OwnedAddressesAsync(IActorRef store)
    {
        var list = await store.Ask<ListResult>(new List(ResourceTypes.LayeredKind(ResourceTypes.AddressSpec)));
        return list.Resources.Where(r => r.Metadata.Owner == ServiceL2Controller.AddressOwner)
            .Select(r => (AddressSpec)r.Spec).Select(a => $"{a.LinkName} {a.Address}").ToList();
    }

    private (IActorRef Store, Announcer Announcer) Start()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        var announcer = new Announcer();
        LbTestData.PublishFile(store, Config(), 1);
        Sys.ActorOf(ServiceL2Controller.Props(store, ClusterBootstrap.From(null), "me", L2NodeIdentity.Named("node-a"), announcer: announcer), ServiceL2Controller.Name);
        return (store, announcer);
    }

    [Fact]
    public async Task An_L2Advertisement_from_the_Kubernetes_API_announces_as_one_from_the_file_does()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        var announcer = new Announcer();
        var network = ConfigLoader.Parse(Network, "node.yaml").Config!;
        // The API first has the pool only: no advertisement, nothing announced.
        LbTestData.PublishWithApi(store, network, 1, Sources.ApiServer.KubeObjects.IpAddressPool("lan", "192.0.2.200-192.0.2.210"));
        Sys.ActorOf(ServiceL2Controller.Props(store, ClusterBootstrap.From(null), "me", L2NodeIdentity.Named("node-a"), announcer: announcer), ServiceL2Controller.Name);
        store.Tell(Allocated("default/web", "192.0.2.200"));
        await Task.Delay(500);
        Assert.Empty(await OwnedAddressesAsync(store));

        LbTestData.PublishWithApi(store, network, 2, Sources.ApiServer.KubeObjects.IpAddressPool("lan", "192.0.2.200-192.0.2.210"),
            Sources.ApiServer.KubeObjects.L2Advertisement("lan", "lan"));
        await AwaitAssertAsync(async () => Assert.Equal(["br0 192.0.2.200/32"], await OwnedAddressesAsync(store)), Wait);
        await AwaitAssertAsync(() => Assert.Contains("announce 192.0.2.200 br0", announcer.Calls), Wait);
    }

    [Fact]
    public async Task The_owner_puts_the_IP_on_its_link_announces_it_and_says_so()
    {
        var (store, announcer) = Start();
        store.Tell(Allocated("default/web", "192.0.2.200"));

        await AwaitAssertAsync(async () => Assert.Equal(["br0 192.0.2.200/32"], await OwnedAddressesAsync(store)), Wait);
        await AwaitAssertAsync(async () =>
        {
            var state = await StateAsync(store, WebState);
            Assert.NotNull(state);
            Assert.True(state.Announcing);
            Assert.Equal(("default/web", "br0", "me", true, ""), (state.Service, state.Link, state.Owner, state.Eligible, state.LastError));
            Assert.True(state.Epoch > 0);
        }, Wait);
        Assert.Contains("announce 192.0.2.200 br0", announcer.Calls);
    }

    [Fact]
    public async Task A_node_that_stops_being_eligible_withdraws_and_comes_back_when_eligible_again()
    {
        var (store, _) = Start();
        store.Tell(Allocated("default/web", "192.0.2.200"));
        await AwaitAssertAsync(async () => Assert.Single(await OwnedAddressesAsync(store)), Wait);

        LbTestData.PublishFile(store, Config("{nodeSelectors: [{matchLabels: {kubernetes.io/hostname: node-b}}]}"), 2);
        await AwaitAssertAsync(async () => Assert.Empty(await OwnedAddressesAsync(store)), Wait);
        await AwaitAssertAsync(async () =>
        {
            var state = await StateAsync(store, WebState);
            Assert.NotNull(state);
            Assert.False(state.Eligible);
            Assert.False(state.Announcing);
            Assert.Contains("selects node node-a", state.Reason);
        }, Wait);

        LbTestData.PublishFile(store, Config(), 3);
        await AwaitAssertAsync(async () => Assert.Single(await OwnedAddressesAsync(store)), Wait);
    }

    [Fact]
    public async Task A_deleted_service_releases_its_IP_and_its_state_goes()
    {
        var (store, announcer) = Start();
        store.Tell(Allocated("default/web", "192.0.2.200"));
        store.Tell(Allocated("default/dns", "192.0.2.201"));
        await AwaitAssertAsync(async () => Assert.Equal(2, (await OwnedAddressesAsync(store)).Count), Wait);

        store.Tell(Deleted("default/web"));
        await AwaitAssertAsync(async () => Assert.Equal(["br0 192.0.2.201/32"], await OwnedAddressesAsync(store)), Wait);
        await AwaitAssertAsync(async () => Assert.Null(await StateAsync(store, WebState)), Wait);
        Assert.Contains("withdraw 192.0.2.200", announcer.Calls);

        // The same IP for another service later: elected again under the same elector name.
        store.Tell(Allocated("default/web2", "192.0.2.200"));
        await AwaitAssertAsync(async () => Assert.Equal(2, (await OwnedAddressesAsync(store)).Count), Wait);
        Assert.Equal("default/web2", (await StateAsync(store, WebState))?.Service);
    }

    [Fact]
    public async Task An_IP_without_a_link_is_not_announced_and_the_state_says_why()
    {
        var (store, _) = Start();
        store.Tell(Allocated("default/far", "203.0.113.5"));
        var key = WebState with { Id = "203.0.113.5" };
        await AwaitAssertAsync(async () =>
        {
            var state = await StateAsync(store, key);
            Assert.NotNull(state);
            Assert.False(state.Eligible);
            Assert.StartsWith("no link for 203.0.113.5", state.LastError);
        }, Wait);
        await Task.Delay(LeaseTimings.Default.Duration * 2);
        Assert.Empty(await OwnedAddressesAsync(store));
    }
}
