using System.Net;
using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Bgp.Speaker;
using Fabric.Vip.LoadBalancer.Config;
using Fabric.Vip.LoadBalancer.Node;
using Fabric.Vip.LoadBalancer.Sources.Config;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>
/// Announces this node's share of the load balancer over the node's BGP speaker (MetalLB's BGP mode): watches the
/// allocations (ServiceState), the node's load balancer config (LoadBalancerConfigSpec: BGPAdvertisements, BGPPeers,
/// pools and communities from the file and the Kubernetes API), the running config (fabric.bgp, node labels) and
/// the services' traffic policy, and hands the speaker the whole set as source "loadbalancer" through
/// <c>bgp</c> (the BgpNodeController, which keeps it across speaker restarts). Publishes a ServiceBgpState per
/// service. Traffic policies come from service sources: it runs its own reader of the config's v1 Service
/// documents, and any other source (Kubernetes) may send it the same <see cref="ServiceSourceMessages"/>.
/// </summary>
public sealed class BgpServiceAnnouncer : ReceiveActor
{
    public const string SourceName = "loadbalancer";
    public const string OwnerName = "BgpServiceAnnouncer";

    private sealed record Flush
    {
        public static readonly Flush Instance = new();
    }

    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly IActorRef store;
    private readonly IActorRef bgp;
    private readonly string nodeName;
    private readonly Dictionary<string, ServiceState> allocations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, LoadBalancerService>> sources = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceBgpState> published = new(StringComparer.Ordinal);
    private IReadOnlyList<BgpAdvertisementSettings>? sent;
    private MachineConfig? config;
    private LoadBalancerConfig? lb;
    private NodeBgp node = new(null, [], []);
    private long generation = -1;
    private bool configSeen, configServicesSeen, flushPending;

    public BgpServiceAnnouncer(IActorRef store, IActorRef bgp, string nodeName)
    {
        this.store = store;
        this.bgp = bgp;
        this.nodeName = nodeName;
        Receive<WatchSnapshot>(m =>
        {
            if (m.Kind == ResourceTypes.MachineConfig.Kind) OnConfig(m.Resources.Select(r => r.Spec).OfType<MachineConfigSpec>().FirstOrDefault());
            else if (m.Kind == LoadBalancerResources.Config.Kind) OnLoadBalancerConfig(m.Resources.Select(r => r.Spec).OfType<LoadBalancerConfigSpec>().FirstOrDefault());
            else foreach (var r in m.Resources) OnAllocation(r, gone: false);
            Changed();
        });
        Receive<WatchEvents>(m =>
        {
            if (m.Kind == ResourceTypes.MachineConfig.Kind)
                OnConfig(m.Events.LastOrDefault() is { Type: not EventType.Destroyed } e ? e.Resource.Spec as MachineConfigSpec : null);
            else if (m.Kind == LoadBalancerResources.Config.Kind)
                OnLoadBalancerConfig(m.Events.LastOrDefault() is { Type: not EventType.Destroyed } e ? e.Resource.Spec as LoadBalancerConfigSpec : null);
            else foreach (var e in m.Events) OnAllocation(e.Resource, e.Type == EventType.Destroyed);
            Changed();
        });
        Receive<ServiceSourceMessages.Snapshot>(s =>
        {
            sources[s.Source] = s.Services.ToDictionary(v => v.Key, StringComparer.Ordinal);
            configServicesSeen |= s.Source == ConfigServiceSource.SourceName;
            Changed();
        });
        Receive<ServiceSourceMessages.Upserted>(u =>
        {
            SourceOf(u.Source)[u.Service.Key] = u.Service;
            Changed();
        });
        Receive<ServiceSourceMessages.Deleted>(d =>
        {
            SourceOf(d.Source).Remove($"{d.Namespace}/{d.Name}");
            Changed();
        });
        Receive<Flush>(_ =>
        {
            flushPending = false;
            Announce();
        });
    }

    public static Props Props(IActorRef store, IActorRef bgp, string nodeName) =>
        Akka.Actor.Props.Create(() => new BgpServiceAnnouncer(store, bgp, nodeName));

    protected override void PreStart()
    {
        Context.ActorOf(ConfigServiceSource.Props(store, Self), "config-services");
        store.Tell(new Watch(ResourceTypes.MachineConfig.Kind), Self);
        store.Tell(new Watch(LoadBalancerResources.Service.Kind), Self);
        store.Tell(new Watch(LoadBalancerResources.Config.Kind), Self);
    }

    private Dictionary<string, LoadBalancerService> SourceOf(string source) =>
        sources.TryGetValue(source, out var services) ? services : sources[source] = new(StringComparer.Ordinal);

    private void OnConfig(MachineConfigSpec? spec)
    {
        configSeen = true;
        if (spec is not null && spec.Generation == generation) return;
        generation = spec?.Generation ?? -1;
        config = spec?.Config;
        BuildNode();
    }

    /// <summary>A removed load balancer config keeps the last one: it is only replaced, never taken away.</summary>
    private void OnLoadBalancerConfig(LoadBalancerConfigSpec? spec)
    {
        if (spec is null || ReferenceEquals(spec.Config, lb)) return;
        lb = spec.Config;
        BuildNode();
    }

    private void BuildNode() =>
        node = config is null || lb is null ? new NodeBgp(null, [], []) : NodeBgpSettings.Build(config, lb, nodeName);

    private void OnAllocation(Resource resource, bool gone)
    {
        if (resource.Spec is not ServiceState state) return;
        if (gone) allocations.Remove(resource.Metadata.Id);
        else allocations[resource.Metadata.Id] = state;
    }

    /// <summary>A burst of changes (the allocator publishing many services) becomes one computation: the flush is
    /// queued behind the messages already waiting.</summary>
    private void Changed()
    {
        // Until the config and the config's services are known, a Local service would be announced as Cluster.
        if (flushPending || !configSeen || !configServicesSeen || lb is null) return;
        flushPending = true;
        Self.Tell(Flush.Instance);
    }

    private void Announce()
    {
        var plan = BgpServiceAdvertisements.Compute(new BgpAnnouncementInput
        {
            NodeName = nodeName,
            NodeLabels = config is null ? new Dictionary<string, string>() : NodeLabels.Of(config.Fabric, nodeName),
            LocalAsn = node.Asn,
            Peers = node.Peers,
            Config = lb!,
            Services = allocations.Values.Select(Describe).ToList(),
        });
        if (sent is null || !SameAdvertisements(sent, plan.Advertisements))
        {
            sent = plan.Advertisements;
            bgp.Tell(new BgpSpeaker.SetAdvertisements(SourceName, plan.Advertisements), Self);
        }
        Publish(plan.Services);
    }

    private AnnouncedService Describe(ServiceState state)
    {
        var source = sources.FirstOrDefault(s => s.Value.ContainsKey(state.Service));
        var service = source.Value?[state.Service];
        return new AnnouncedService
        {
            Key = state.Service,
            Ips = state.Ips.Select(ip => IPAddress.TryParse(ip, out var a) ? a : null).OfType<IPAddress>().ToList(),
            Pool = state.Pool,
            ExternalTrafficPolicy = service?.ExternalTrafficPolicy ?? "Cluster",
            // v1 Service documents have no endpoints; every other source reports the nodes with ready ones.
            ReadyNodes = service is null || source.Key == ConfigServiceSource.SourceName ? null : service.ReadyNodes,
        };
    }

    private void Publish(IReadOnlyList<ServiceBgpState> states)
    {
        var puts = new List<Put>();
        foreach (var state in states)
        {
            if (published.TryGetValue(state.Service, out var old) && SpecEquality.Same(old, state)) continue;
            if (state.Warning.Length > 0 && old?.Warning != state.Warning) log.Warning("service {0}: {1}", state.Service, state.Warning);
            published[state.Service] = state;
            puts.Add(new Put(Key(state.Service), state));
        }
        var current = states.Select(s => s.Service).ToHashSet(StringComparer.Ordinal);
        var gone = published.Keys.Where(k => !current.Contains(k)).ToList();
        foreach (var key in gone) published.Remove(key);
        if (puts.Count > 0 || gone.Count > 0) store.Tell(new Write(OwnerName, puts, gone.Select(Key).ToList()), ActorRefs.NoSender);
    }

    private static ResourceKey Key(string service) => new(ServiceBgpResources.State.Namespace, ServiceBgpResources.State.Name, service);

    private static bool SameAdvertisements(IReadOnlyList<BgpAdvertisementSettings> a, IReadOnlyList<BgpAdvertisementSettings> b) =>
        a.Count == b.Count && a.Zip(b, Same).All(same => same);

    private static bool Same(BgpAdvertisementSettings x, BgpAdvertisementSettings y) =>
        x.LocalPref == y.LocalPref && x.Med == y.Med
        && x.Prefixes.SequenceEqual(y.Prefixes) && x.Peers.SequenceEqual(y.Peers)
        && x.Communities.SequenceEqual(y.Communities) && x.LargeCommunities.SequenceEqual(y.LargeCommunities);
}
