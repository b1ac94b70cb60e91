using System.Net;
using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Election;
using Fabric.Vip.Fence;
using Fabric.Vip.Layer2;
using Fabric.Vip.LoadBalancer.Config;
using Fabric.Vip.LoadBalancer.Node;
using Fabric.Vip.Node;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>Layer 2 announcement of load balancer service IPs (/user/lb-l2): for every allocated IP whose pool an
/// L2Advertisement selects, one <see cref="VipElector"/> below /user/lb-l2/ip, the VIP's majority lease with its
/// fencing epoch, voted by the cluster seeds (a cluster of one votes alone). The owner puts the IP on the chosen link
/// as an AddressSpec at layer operator (the kernel then answers ARP/NDP for it) and sends gratuitous ARP /
/// unsolicited NA with refresh, exactly as a VIP owner does. Candidacy follows eligibility live: a node that stops
/// being eligible withdraws and releases, so the next eligible node takes over at once. Publishes ServiceL2State.
/// <para>Inputs: the running config (machine.network, lease timings), the node's load balancer config
/// (LoadBalancerConfigSpec: the file's and the Kubernetes API's MetalLB objects), ServiceState from the allocator, and optionally <see cref="ServiceSourceMessages"/> from a source that knows ready endpoints (the
/// Kubernetes source); without them every node counts as having an endpoint.</para></summary>
public sealed class ServiceL2Controller : ReceiveActor
{
    public const string Name = "lb-l2";
    public const string ElectorsName = "ip";
    public const string ElectorsPath = "/user/" + Name + "/" + ElectorsName;
    public const string OwnerName = "ServiceL2Controller";
    /// <summary>Writes the service IPs' AddressSpecs; distinct from the VIP owner's so neither overwrites the other.</summary>
    public const string AddressOwner = "ServiceL2Owner";

    private readonly IActorRef store;
    private readonly ClusterBootstrap cluster;
    private readonly string self;
    private readonly L2NodeIdentity node;
    private readonly IMonotonicClock clock;
    private readonly IVipAnnouncer announcer;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Dictionary<string, ServiceState> services = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, LoadBalancerService>> traffic = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, ServiceIpPlan> running = [];
    private readonly Dictionary<IPAddress, (VipStatus Status, DateTimeOffset? Since)> statuses = [];
    private readonly HashSet<IPAddress> published = [];
    private IActorRef electors = ActorRefs.Nobody;
    private LoadBalancerConfig? lb;
    private NetworkConfig network = new();
    private ClusterSettings? clusterSettings;
    private long generation = -1;
    private string timingsSignature = "";
    private readonly IActorRef? fence;
    /// <summary>The kernel fence's state as shown in ServiceL2State ("" without a fence).</summary>
    private string fenceState = "";
    private HashSet<IPAddress> declared = [];

    /// <param name="self">This node's cluster address, as voters name it.</param>
    /// <param name="announcer">Layer 2 by default; tests give another.</param>
    /// <param name="fence">The node's <see cref="LeaseFence"/>, for Layer 2 announcing; none in tests.</param>
    public ServiceL2Controller(IActorRef store, ClusterBootstrap cluster, string self, L2NodeIdentity node, IMonotonicClock clock, IVipAnnouncer? announcer,
        IActorRef? fence = null)
    {
        this.fence = announcer is null || announcer is Layer2Announcer ? fence : null;
        this.store = store;
        this.cluster = cluster;
        this.self = self;
        this.node = node;
        this.clock = clock;
        this.announcer = announcer ?? new Layer2Announcer();
        Receive<WatchSnapshot>(m =>
        {
            if (m.Kind == LoadBalancerResources.Service.Kind) services.Clear();
            foreach (var r in m.Resources) OnResource(r, destroyed: false);
            Reconcile();
        });
        Receive<WatchEvents>(m =>
        {
            foreach (var e in m.Events) OnResource(e.Resource, e.Type == EventType.Destroyed);
            Reconcile();
        });
        Receive<ServiceSourceMessages.Snapshot>(m =>
        {
            traffic[m.Source] = m.Services.ToDictionary(s => s.Key, StringComparer.Ordinal);
            Reconcile();
        });
        Receive<ServiceSourceMessages.Upserted>(m =>
        {
            if (!traffic.TryGetValue(m.Source, out var known)) traffic[m.Source] = known = new(StringComparer.Ordinal);
            known[m.Service.Key] = m.Service;
            Reconcile();
        });
        Receive<ServiceSourceMessages.Deleted>(m =>
        {
            if (traffic.TryGetValue(m.Source, out var known)) known.Remove($"{m.Namespace}/{m.Name}");
            Reconcile();
        });
        Receive<FenceState>(f =>
        {
            fenceState = f.Text;
            foreach (var plan in running.Values) Publish(plan);
        });
        Receive<VipStatus>(s =>
        {
            // A stopped elector's last word about an IP no longer elected must not bring its state back.
            if (!running.ContainsKey(s.Ip)) return;
            var since = s.Since is { } at ? DateTimeOffset.UtcNow - (clock.Now - at) : (DateTimeOffset?)null;
            statuses[s.Ip] = (s, since);
            Publish(running[s.Ip]);
        });
    }

    public static Props Props(IActorRef store, ClusterBootstrap cluster, string self, L2NodeIdentity node,
        IMonotonicClock? clock = null, IVipAnnouncer? announcer = null, IActorRef? fence = null) =>
        Akka.Actor.Props.Create(() => new ServiceL2Controller(store, cluster, self, node, clock ?? StopwatchClock.Instance, announcer, fence));

    /// <summary>Starts the controller at /user/lb-l2 and has SIGTERM (coordinated shutdown) release its leases, as
    /// for VIPs.</summary>
    public static IActorRef Start(ActorSystem system, IActorRef store, ClusterBootstrap cluster, string self, string nodeName, IActorRef? fence = null)
    {
        var controller = system.ActorOf(Props(store, cluster, self, L2NodeIdentity.Named(nodeName), fence: fence), Name);
        VipShutdown.Register(system, ElectorsPath);
        return controller;
    }

    protected override void PreStart()
    {
        electors = Context.ActorOf(VipRoot.Props([], Self, clock), ElectorsName);
        store.Tell(new Watch(ResourceTypes.MachineConfig.Kind));
        store.Tell(new Watch(LoadBalancerResources.Service.Kind));
        store.Tell(new Watch(LoadBalancerResources.Config.Kind));
        fence?.Tell(LeaseFence.Subscribe.Instance);
    }

    protected override void PostStop()
    {
        if (published.Count > 0) store.Tell(new Write(OwnerName, [], published.Select(Key).ToList()), ActorRefs.NoSender);
        announcer.Dispose();
    }

    private void OnResource(Resource r, bool destroyed)
    {
        switch (r.Spec)
        {
            case MachineConfigSpec config when !destroyed: OnConfig(config); break;
            // A removed load balancer config keeps the last one, as for the machine config.
            case LoadBalancerConfigSpec config when !destroyed: lb = config.Config; break;
            case ServiceState when destroyed: services.Remove(r.Key.Id); break;
            case ServiceState s: services[r.Key.Id] = s; break;
        }
    }

    /// <summary>A removed config keeps the last one's settings: the agent never runs without a config.</summary>
    private void OnConfig(MachineConfigSpec config)
    {
        if (config.Generation == generation) return;
        generation = config.Generation;
        network = config.Config.Network;
        clusterSettings = config.Config.Fabric.Cluster;
    }

    /// <summary>Brings the electors in line with the plan: new IPs get one, gone IPs have theirs released and stopped,
    /// a changed link restarts it, a changed eligibility switches candidacy live.</summary>
    private void Reconcile()
    {
        // Without the load balancer config every service IP would look unadvertised and be released.
        if (generation < 0 || lb is null) return;
        var defaults = clusterSettings ?? new ClusterSettings { Name = "local", Listen = "127.0.0.1:0" };
        var timings = VipElectorSettings.TimingsFrom(defaults);
        var signature = $"{timings}/{defaults.AnnounceRefresh}";
        if (signature != timingsSignature)
        {
            timingsSignature = signature;
            foreach (var ip in running.Keys.ToList()) StopElector(ip);
        }

        var plan = ServiceL2Planner.Plan(lb, network, services.Values, MergedTraffic(), node);
        if (fence is not null && !declared.SetEquals(plan.Keys))
        {
            declared = plan.Keys.ToHashSet();
            fence.Tell(new LeaseFence.Manage("service-l2", declared.ToList()));
        }
        foreach (var ip in running.Keys.Where(ip => !plan.ContainsKey(ip)).ToList())
        {
            StopElector(ip);
            Unpublish(ip);
        }
        foreach (var (ip, wanted) in plan)
        {
            if (!running.TryGetValue(ip, out var had) || !had.SameElector(wanted))
            {
                if (had is not null) StopElector(ip);
                electors.Tell(new VipRoot.StartElector(Settings(wanted, timings, defaults), new VipOwnerActions(store, announcer, AddressOwner)));
                log.Info("service IP {0} ({1}): electing, link {2}, {3}", ip, string.Join(", ", wanted.Services),
                    wanted.Link ?? "none", wanted.Candidate ? "candidate" : $"not a candidate: {wanted.Reason}{wanted.Error}");
            }
            else if (had.Candidate != wanted.Candidate)
            {
                electors.Tell(new VipRoot.SetCandidacy(VipElectorSettings.IdOf(ip), wanted.Candidate));
                log.Info("service IP {0}: {1}", ip, wanted.Candidate ? "now a candidate" : $"no longer a candidate: {wanted.Reason}{wanted.Error}");
            }
            running[ip] = wanted;
            Publish(wanted);
        }
    }

    private VipElectorSettings Settings(ServiceIpPlan plan, LeaseTimings timings, ClusterSettings defaults) =>
        new(plan.Ip, plan.Link ?? "", self, cluster.Seeds.Count > 0 ? cluster.SeedAddresses : [self], timings,
            announcer.Name, AnnounceRefresh: defaults.AnnounceRefresh)
        {
            PeerPath = ElectorsPath,
            Candidate = plan.Candidate,
            Subject = "service IP",
            Fence = fence is not null ? new ActorLeaseFence(fence) : NoLeaseFence.Instance,
        };

    private void StopElector(IPAddress ip)
    {
        electors.Tell(new VipRoot.StopElector(VipElectorSettings.IdOf(ip)));
        running.Remove(ip);
        statuses.Remove(ip);
    }

    private IReadOnlyDictionary<string, LoadBalancerService> MergedTraffic()
    {
        var merged = new Dictionary<string, LoadBalancerService>(StringComparer.Ordinal);
        foreach (var source in traffic.Values)
            foreach (var (key, service) in source) merged[key] = service;
        return merged;
    }

    private void Publish(ServiceIpPlan plan)
    {
        statuses.TryGetValue(plan.Ip, out var seen);
        var status = seen.Status;
        published.Add(plan.Ip);
        store.Tell(Write.One(OwnerName, new Put(Key(plan.Ip), new ServiceL2State
        {
            Ip = plan.Ip.ToString(),
            Service = string.Join(", ", plan.Services),
            Link = plan.Link ?? "",
            Owner = status?.Owner ?? "",
            Announcing = status?.Owner == self,
            Eligible = plan.Candidate,
            Reason = plan.Reason,
            Epoch = status?.Epoch ?? 0,
            Since = seen.Since,
            Fence = fenceState,
            LastError = plan.Error ?? status?.LastError ?? "",
        })), ActorRefs.NoSender);
    }

    private void Unpublish(IPAddress ip)
    {
        published.Remove(ip);
        store.Tell(new Write(OwnerName, [], [Key(ip)]), ActorRefs.NoSender);
    }

    private static ResourceKey Key(IPAddress ip) => new(ServiceL2Resources.Namespace, ServiceL2Resources.State.Name, ip.ToString());
}
