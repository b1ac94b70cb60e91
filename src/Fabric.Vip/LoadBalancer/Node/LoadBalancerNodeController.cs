using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.Event;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Config;
using Fabric.Vip.LoadBalancer.Sources.Config;
using Fabric.Vip.LoadBalancer.Sources.Kubernetes;

namespace Fabric.Vip.LoadBalancer.Node;

/// <summary>The load balancer on a node (/user/lb on every node). Runs this node's share of the cluster's one
/// allocator (a ClusterSingletonManager, child "allocator"; the allocator itself lives on the oldest node) and reaches
/// it through a singleton proxy. Subscribes to the allocator's decisions and publishes them as ServiceState and
/// PoolState resources, so every node shows them. Runs the service sources (v1 Service documents of the running
/// config, and the Kubernetes API when fabric.loadBalancer.kubernetes is set) on every node, but only the node the
/// allocator runs on — the leader — feeds it (pools, services) and writes to Kubernetes: one writer, whose view of the
/// sources is complete. Whenever a node becomes the leader it sends every source's whole set again, so nothing said to
/// a previous allocator, or lost while it moved, is missing.
/// <para>It also owns the node's one load balancer config (<see cref="EffectiveLoadBalancerConfig"/>): the running
/// config file's MetalLB documents plus the MetalLB objects the Kubernetes source lists, published as the
/// LoadBalancerConfigSpec every other part reads (announcers, BGP speaker), with a LoadBalancerConfigSourceState per
/// source saying whether its objects are in use or why not. Its pools are fed to the allocator from here, in order
/// with the services: the Kubernetes source sends its MetalLB objects before its first services.</para></summary>
public sealed class LoadBalancerNodeController : ReceiveActor, IWithTimers
{
    public const string OwnerName = "LoadBalancerNodeController";
    /// <summary>The controller's name under /user; the singleton manager must have the same path on every node.</summary>
    public const string Name = "lb";
    public const string ManagerName = "allocator";

    private sealed record Resubscribe
    {
        public static readonly Resubscribe Instance = new();
    }

    private sealed record StartKubernetes
    {
        public static readonly StartKubernetes Instance = new();
    }

    private sealed record KubernetesClientRead(LoadBalancerKubernetesSettings For, KubernetesSourceSettings Settings);
    private sealed record KubernetesClientFailed(LoadBalancerKubernetesSettings For, Exception Error);

    /// <summary>A Subscribe can be lost when it goes to an allocator whose node just died; it is repeated until answered.</summary>
    private static readonly TimeSpan SubscribeRetry = TimeSpan.FromSeconds(2);
    /// <summary>Remoting may drop a message when a connection breaks; a periodic full state repairs what a lost change broke.</summary>
    private static readonly TimeSpan FullStateRefresh = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan KubernetesRetry = TimeSpan.FromSeconds(30);
    /// <summary>How long the allocator may stay silent before the node says so: new services get no address meanwhile.</summary>
    public static readonly TimeSpan AllocatorSilenceWarning = TimeSpan.FromSeconds(60);

    private readonly IActorRef store;
    private readonly string nodeName;
    private readonly string selfAddress;
    private readonly IActorRef allocator;
    private readonly IActorRef configSource;
    /// <summary>The service announcers (Layer 2, BGP), told what the Kubernetes source says: only it knows which nodes
    /// have ready endpoints, which decides where an externalTrafficPolicy Local service is announced.</summary>
    private readonly IReadOnlyList<IActorRef> endpointListeners;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly SourceMirror mirror = new();
    /// <summary>What the allocator decided, as last heard: published as ServiceState, and handed to a new Kubernetes source.</summary>
    private readonly Dictionary<string, ServiceAllocation> allocations = new();
    private readonly HashSet<ResourceKey> publishedPools = [];
    private IActorRef? subscribedTo;
    /// <summary>Services seen while a whole state arrives; null between whole states.</summary>
    private HashSet<string>? inState;
    private bool leader;
    private IReadOnlyList<IpAddressPool>? pools;
    private readonly EffectiveLoadBalancerConfig effective = new();
    private readonly Dictionary<string, LoadBalancerConfigSourceState> sourceStates = new(StringComparer.Ordinal);
    private IReadOnlyList<string> metalLbAbsent = [];
    private string loggedApiErrors = "";
    private ConfigDiagnostic? journalProblem;
    private long generation = -1;
    private LoadBalancerKubernetesSettings? kubernetesSettings;
    private IActorRef? kubernetes;
    private int kubernetesIncarnation;
    private readonly TimeSpan allocatorSilence;
    /// <summary>Running while no allocator has answered this node's subscription.</summary>
    private Stopwatch? unanswered;
    private bool warnedUnanswered;

    public ITimerScheduler Timers { get; set; } = null!;

    public LoadBalancerNodeController(IActorRef store, string nodeName, IReadOnlyList<IActorRef> endpointListeners, TimeSpan allocatorSilence)
    {
        this.allocatorSilence = allocatorSilence;
        this.store = store;
        this.nodeName = nodeName;
        this.endpointListeners = endpointListeners;
        selfAddress = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
        Context.ActorOf(ClusterSingletonManager.Props(AllocatorSingleton.Props(), AllocatorFeed.Stop.Instance,
            ClusterSingletonManagerSettings.Create(Context.System).WithSingletonName(AllocatorSingleton.Name)), ManagerName);
        allocator = Context.ActorOf(ClusterSingletonProxy.Props($"{Self.Path.ToStringWithoutAddress()}/{ManagerName}",
            ClusterSingletonProxySettings.Create(Context.System).WithSingletonName(AllocatorSingleton.Name)), "allocator-proxy");
        configSource = Context.ActorOf(ConfigServiceSource.Props(store, Self), "config-services");

        Receive<WatchSnapshot>(m => OnConfig(m.Resources.Select(r => r.Spec).OfType<MachineConfigSpec>().FirstOrDefault()));
        Receive<WatchEvents>(m => OnConfig(m.Events.LastOrDefault() is { Type: not EventType.Destroyed } e ? e.Resource.Spec as MachineConfigSpec : null));

        Receive<KubernetesSourceMessages.MetalLbObjectsChanged>(m => Sender.Equals(kubernetes), m =>
        {
            metalLbAbsent = m.Absent ?? [];
            ApplyEffective(effective.SetApi(m.Objects));
        });
        Receive<KubernetesSourceMessages.MetalLbObjectsChanged>(_ => { }); // from a replaced source
        Receive<ServiceSourceMessages.Snapshot>(OnSource);
        Receive<ServiceSourceMessages.Upserted>(OnSource);
        Receive<ServiceSourceMessages.Deleted>(OnSource);
        // The allocator's replies to what this node fed it; the feed below carries the same decisions, in order.
        Receive<ServiceAllocation>(_ => { });
        Receive<AllocatorMessages.AllocationsReport>(_ => { });
        Receive<AllocatorMessages.PoolStatusReport>(_ => { });

        Receive<AllocatorFeed.Subscribed>(OnSubscribed);
        Receive<AllocatorFeed.Allocations>(m =>
        {
            foreach (var a in m.Items)
            {
                Apply(a);
                inState?.Add(a.Service);
            }
        });
        Receive<AllocatorFeed.StateComplete>(_ => OnStateComplete());
        Receive<AllocatorFeed.Pools>(m => Publish(m.Items));
        Receive<AllocatorFeed.Resync>(_ =>
        {
            if (Feeding) FeedEverything();
        });
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(subscribedTo)) return;
            // The allocator stopped (its node left or failed, or it is handing over): it starts again elsewhere.
            log.Info("load balancer allocator at {0} is gone; subscribing to its next incarnation", t.ActorRef.Path.Address);
            subscribedTo = null;
            ChangeFeeding(() => SetLeader(false));
            Subscribe();
        });
        Receive<Resubscribe>(_ =>
        {
            WarnIfAllocatorSilent();
            allocator.Tell(AllocatorFeed.Subscribe.Instance, Self);
        });
        Receive<StartKubernetes>(_ => StartKubernetesSource());
        Receive<KubernetesClientRead>(OnKubernetesClientRead);
        Receive<KubernetesClientFailed>(OnKubernetesClientFailed);
    }

    /// <param name="endpointListeners">Get the Kubernetes source's Snapshot/Upserted/Deleted as they come.</param>
    /// <param name="allocatorSilence">How long no allocator may answer before a warning; <see cref="AllocatorSilenceWarning"/> unless a test says otherwise.</param>
    public static Props Props(IActorRef store, string nodeName, IReadOnlyList<IActorRef>? endpointListeners = null, TimeSpan? allocatorSilence = null)
    {
        var listeners = endpointListeners ?? Array.Empty<IActorRef>();
        var silence = allocatorSilence ?? AllocatorSilenceWarning;
        return Akka.Actor.Props.Create(() => new LoadBalancerNodeController(store, nodeName, listeners, silence));
    }

    protected override void PreStart()
    {
        store.Tell(new Watch(ResourceTypes.MachineConfig.Kind));
        Subscribe();
        Timers.StartPeriodicTimer("refresh", Resubscribe.Instance, FullStateRefresh);
    }

    /// <summary>The leader feeds the allocator once it knows the pools, and only when the journal is shared by every
    /// node that may run the allocator (see <see cref="SharedJournalRule"/>).</summary>
    private bool Feeding => leader && pools is not null && journalProblem is null;

    private void Subscribe()
    {
        unanswered ??= Stopwatch.StartNew();
        allocator.Tell(AllocatorFeed.Subscribe.Instance, Self);
        Timers.StartPeriodicTimer("subscribe", Resubscribe.Instance, SubscribeRetry);
    }

    private void OnSubscribed(AllocatorFeed.Subscribed m)
    {
        if (subscribedTo is not null && !subscribedTo.Equals(Sender)) Context.Unwatch(subscribedTo);
        subscribedTo = Context.Watch(Sender);
        Timers.Cancel("subscribe");
        if (warnedUnanswered) log.Info("the load balancer allocator at {0} answered after {1:F0} s", Sender.Path.Address, unanswered!.Elapsed.TotalSeconds);
        unanswered = null;
        warnedUnanswered = false;
        inState = [];
        ChangeFeeding(() => SetLeader(m.Node == selfAddress));
    }

    /// <summary>Akka's singleton proxy has a warning of its own, but it fires falsely at every start (akka.net#8568)
    /// and is turned off (<see cref="Fabric.Vip.Cluster.FabricClusterHocon.SingletonProxy"/>); this one counts from this node's first
    /// unanswered subscription.</summary>
    private void WarnIfAllocatorSilent()
    {
        if (subscribedTo is not null || unanswered is null || warnedUnanswered || unanswered.Elapsed < allocatorSilence) return;
        warnedUnanswered = true;
        log.Warning("no load balancer allocator has answered for {0:F0} s (it runs on the oldest cluster member; is the cluster up?); " +
                    "services get no new addresses until one does", unanswered.Elapsed.TotalSeconds);
    }

    private void OnStateComplete()
    {
        if (inState is null) return;
        foreach (var gone in allocations.Keys.Where(k => !inState.Contains(k)).ToList())
            Apply(new ServiceAllocation { Service = gone });
        inState = null;
    }

    private void SetLeader(bool value)
    {
        if (leader == value) return;
        leader = value;
        log.Info(value
            ? "the load balancer allocator runs on this node: feeding it and writing to Kubernetes from here"
            : "the load balancer allocator does not run on this node: following it");
        kubernetes?.Tell(new KubernetesSourceMessages.SetLeader(value));
    }

    /// <summary>Runs a change; when it makes this node start feeding the allocator, sends it everything.</summary>
    private void ChangeFeeding(Action change)
    {
        var was = Feeding;
        change();
        if (!was && Feeding) FeedEverything();
    }

    private void FeedEverything()
    {
        allocator.Tell(new AllocatorMessages.ConfigurePools(pools!), Self);
        foreach (var snapshot in mirror.Snapshots()) allocator.Tell(snapshot, Self);
    }

    private void OnSource(object message)
    {
        // A replaced Kubernetes source may still have something in flight; only the current sources speak.
        var fromKubernetes = Sender.Equals(kubernetes);
        if (!fromKubernetes && !Sender.Equals(configSource)) return;
        if (fromKubernetes) TellListeners(message);
        if (mirror.Apply(message) && Feeding) allocator.Tell(message, Self);
    }

    private void OnConfig(MachineConfigSpec? config)
    {
        if (config is null || config.Generation == generation) return;
        generation = config.Generation;
        var problem = SharedJournalRule.Check(config.Config);
        if (problem is not null) log.Error("not allocating load balancer addresses: {0}", problem);
        ChangeFeeding(() => journalProblem = problem);
        var changed = effective.SetFile(config.Config.ExtraDocuments, generation);
        var k8s = config.Config.Fabric.LoadBalancer?.Kubernetes;
        if (k8s is not { MetallbObjects: true } && effective.ReadsApi) changed |= effective.StopReadingApi();
        ConfigureKubernetes(k8s);
        ApplyEffective(changed);
    }

    /// <summary>Publishes the effective config when it changed, and each source's state; feeds the allocator the
    /// pools; has the Kubernetes source put Events on the API objects that are wrong.</summary>
    private void ApplyEffective(bool changed)
    {
        var lb = effective.Current;
        if (changed)
        {
            store.Tell(Write.One(OwnerName, new Put(LoadBalancerResources.ConfigKey,
                new LoadBalancerConfigSpec { Config = lb, Version = effective.Version, Objects = effective.Objects })), ActorRefs.NoSender);
            log.Info($"load balancer config version {effective.Version}: {lb.Pools.Count} pools, {lb.L2Advertisements.Count} L2 and " +
                     $"{lb.BgpAdvertisements.Count} BGP advertisements, {lb.BgpPeers.Count} BGP peers " +
                     $"({effective.FileObjects} objects from the file, {effective.ApiObjects} from the Kubernetes API)");
        }
        var errors = effective.ApiErrors.Select(d => d.ToString()).ToList();
        var errorText = string.Join("; ", errors);
        if (errorText != loggedApiErrors)
        {
            loggedApiErrors = errorText;
            if (errors.Count > 0)
                log.Error("MetalLB objects of the Kubernetes API are not valid; keeping the last good set in use: {0}", errorText);
            else if (effective.ApiListed) log.Info("MetalLB objects of the Kubernetes API are valid and in use");
        }
        PublishSourceStates(errors);
        kubernetes?.Tell(Problems());

        var wasFeeding = Feeding;
        var before = pools;
        ChangeFeeding(() => pools = lb.Pools);
        if (wasFeeding && Feeding && !ReferenceEquals(before, pools)) allocator.Tell(new AllocatorMessages.ConfigurePools(lb.Pools), Self);
    }

    private KubernetesSourceMessages.MetalLbProblems Problems() => new(effective.ApiErrors
        .Where(d => d.Location.File.StartsWith("k8s:", StringComparison.Ordinal))
        .GroupBy(d => d.Location.File)
        .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(d => string.IsNullOrEmpty(d.Path) ? d.Message : $"{d.Path}: {d.Message}"))));

    private void PublishSourceStates(IReadOnlyList<string> errors)
    {
        Put(new LoadBalancerConfigSourceState { Source = LoadBalancerConfigSourceState.File, Objects = effective.FileObjects, State = "applied" });
        Put(new LoadBalancerConfigSourceState
        {
            Source = LoadBalancerConfigSourceState.Kubernetes,
            Objects = effective.ApiObjects,
            State = !effective.ReadsApi ? (kubernetesSettings is null ? "disabled" : "disabled (metallbObjects: false)")
                : !effective.ApiListed ? "waiting for the first list"
                : errors.Count > 0 ? "invalid: keeping the last good set" : "applied",
            Errors = errors,
            Note = effective.ReadsApi && metalLbAbsent.Count > 0 ? $"not listed, counted as empty: {string.Join("; ", metalLbAbsent)}" : "",
        });

        void Put(LoadBalancerConfigSourceState state)
        {
            var had = sourceStates.GetValueOrDefault(state.Source);
            var same = had is not null && had.State == state.State && had.Objects == state.Objects && had.Note == state.Note && had.Errors.SequenceEqual(state.Errors);
            if (same) return;
            state = state with { Since = had is not null && had.State == state.State ? had.Since : DateTimeOffset.UtcNow };
            sourceStates[state.Source] = state;
            store.Tell(Write.One(OwnerName, new Put(new ResourceKey(LoadBalancerResources.ConfigSource.Namespace, LoadBalancerResources.ConfigSource.Name, state.Source), state)), ActorRefs.NoSender);
        }
    }

    private void ConfigureKubernetes(LoadBalancerKubernetesSettings? settings)
    {
        // Where the settings were written does not matter to the source; moving them in the file restarts nothing.
        settings = settings is null ? null : settings with { Location = null };
        if (settings == kubernetesSettings) return;
        var had = kubernetesSettings is not null;
        kubernetesSettings = settings;
        if (kubernetes is not null) Context.Stop(kubernetes);
        kubernetes = null;
        Timers.Cancel("kubernetes");
        if (settings is not null) StartKubernetesSource();
        else if (had)
        {
            // No Kubernetes any more: its services are released.
            var empty = mirror.Empty(KubernetesServiceSource.SourceName);
            TellListeners(empty);
            if (Feeding) allocator.Tell(empty, Self);
        }
    }

    private void TellListeners(object message)
    {
        foreach (var listener in endpointListeners) listener.Tell(message, Self);
    }

    /// <summary>Reads the kubeconfig (or the pod's service account) off the actor's thread, then starts the source.</summary>
    private void StartKubernetesSource()
    {
        if (kubernetesSettings is not { } wanted || kubernetes is not null) return;
        Task.Run(() => KubernetesClientSettings.From(wanted, nodeName)).PipeTo(Self,
            success: settings => new KubernetesClientRead(wanted, settings),
            failure: e => new KubernetesClientFailed(wanted, e));
    }

    private void OnKubernetesClientRead(KubernetesClientRead m)
    {
        if (m.For != kubernetesSettings || kubernetes is not null) return; // the settings changed meanwhile
        kubernetes = Context.ActorOf(KubernetesServiceSource.Props(m.Settings, Self, Self), $"kubernetes-{++kubernetesIncarnation}");
        foreach (var a in allocations.Values) kubernetes.Tell(a);
        kubernetes.Tell(Problems());
        kubernetes.Tell(new KubernetesSourceMessages.SetLeader(leader));
    }

    private void OnKubernetesClientFailed(KubernetesClientFailed m)
    {
        if (m.For != kubernetesSettings) return;
        var error = m.Error is AggregateException { InnerException: { } inner } ? inner : m.Error;
        log.Error("Kubernetes service source not started: {0}; trying again in {1}", error.Message, KubernetesRetry);
        Timers.StartSingleTimer("kubernetes", StartKubernetes.Instance, KubernetesRetry);
    }

    /// <summary>A decision of the allocator: shown here, and passed to the Kubernetes source, which writes it to the
    /// service's status when this node leads.</summary>
    private void Apply(ServiceAllocation a)
    {
        Publish(a);
        kubernetes?.Tell(a);
    }

    private void Publish(ServiceAllocation a)
    {
        var key = new ResourceKey(LoadBalancerResources.Service.Namespace, LoadBalancerResources.Service.Name, a.Service);
        // A service with neither addresses nor an error is gone.
        if (a.Ips.Count == 0 && a.Error is null)
        {
            if (allocations.Remove(a.Service)) store.Tell(new Write(OwnerName, [], [key]), ActorRefs.NoSender);
            return;
        }
        allocations[a.Service] = a;
        store.Tell(Write.One(OwnerName, new Put(key, new ServiceState
        {
            Service = a.Service, Ips = a.Ips.Select(ip => ip.ToString()).ToArray(), Pool = a.Pool ?? "",
            Error = a.Error ?? "", Warning = a.Warning ?? "",
        })), ActorRefs.NoSender);
    }

    private void Publish(IReadOnlyList<PoolStatus> report)
    {
        var puts = report.Select(p => new Put(
            new ResourceKey(LoadBalancerResources.Pool.Namespace, LoadBalancerResources.Pool.Name, p.Name),
            new PoolState { Name = p.Name, Size = p.Size.ToString(), Used = p.Used, Free = p.Free.ToString(), Addresses = p.Addresses, AutoAssign = p.AutoAssign }))
            .ToList();
        var gone = publishedPools.Where(k => puts.All(p => p.Key != k)).ToList();
        publishedPools.Clear();
        publishedPools.UnionWith(puts.Select(p => p.Key));
        store.Tell(new Write(OwnerName, puts, gone), ActorRefs.NoSender);
    }
}
