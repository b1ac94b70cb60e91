using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Config;
using Fabric.Actors.Controllers;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Election;
using Fabric.Vip.Fence;
using Fabric.Vip.Layer2;
using Fabric.Vip.Providers;

namespace Fabric.Vip.Node;

/// <summary>Runs this node's VIP electors from the running config (/user/vip-node, with the electors' parent at
/// /user/vip). When the set of VIPs changes, every held lease is released first and the electors start again;
/// a VIP whose definition did not change keeps nothing across that (its lease moves by the usual fast path).
/// Publishes each elector's view as a VipState resource.</summary>
public sealed class VipNodeController : ReceiveActor
{
    public const string OwnerName = "VipNodeController";

    private sealed record RootReleased(IActorRef Root);

    private readonly IActorRef store;
    private readonly ClusterBootstrap cluster;
    private readonly string self;
    private readonly IMonotonicClock clock = StopwatchClock.Instance;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly HashSet<ResourceKey> published = [];
    private IActorRef? root;
    private string signature = "";
    private IReadOnlyList<VipDefinition> wanted = [];
    private ClusterSettings? settings;
    private bool restarting;
    private MachineConfigSpec? config;
    private readonly Dictionary<ResourceKey, LinkStatus> links = [];
    private readonly HashSet<string> unresolved = [];
    private readonly ILinkHardware hardware;
    private readonly IActorRef? fence;
    private readonly Dictionary<ResourceKey, VipStatus> statuses = [];
    private HashSet<string> fenced = [];
    private string fenceState = "starting";

    /// <param name="fence">The node's <see cref="LeaseFence"/>; without one Layer 2 VIPs are not fenced in the kernel.</param>
    public VipNodeController(IActorRef store, ClusterBootstrap cluster, string self, ILinkHardware? hardware = null, IActorRef? fence = null)
    {
        this.fence = fence;
        this.hardware = hardware ?? new SysfsLinkHardware();
        this.store = store;
        this.cluster = cluster;
        this.self = self;
        Receive<WatchSnapshot>(m => m.Kind == ResourceTypes.LinkStatus.Kind, m =>
        {
            links.Clear();
            foreach (var r in m.Resources) if (r.Spec is LinkStatus l) links[r.Key] = l;
            Evaluate();
        });
        Receive<WatchEvents>(m => m.Kind == ResourceTypes.LinkStatus.Kind, m =>
        {
            foreach (var e in m.Events)
                if (e.Type == EventType.Destroyed) links.Remove(e.Resource.Key);
                else if (e.Resource.Spec is LinkStatus l) links[e.Resource.Key] = l;
            Evaluate();
        });
        Receive<WatchSnapshot>(m => { config = m.Resources.Select(r => r.Spec).OfType<MachineConfigSpec>().FirstOrDefault(); Evaluate(); });
        Receive<WatchEvents>(m =>
        {
            config = m.Events.LastOrDefault() is { Type: not EventType.Destroyed } e ? e.Resource.Spec as MachineConfigSpec : null;
            Evaluate();
        });
        Receive<VipStatus>(Publish);
        Receive<FenceState>(f =>
        {
            fenceState = f.Text;
            foreach (var status in statuses.Values.ToList()) Publish(status);
        });
        // Peers address electors at /user/vip/<id>: the new parent may only take that name once the old one is gone.
        Receive<RootReleased>(m =>
        {
            Context.Watch(m.Root);
            Context.Stop(m.Root);
        });
        Receive<Terminated>(_ =>
        {
            restarting = false;
            StartRoot();
        });
    }

    public static Props Props(IActorRef store, ClusterBootstrap cluster, string self, IActorRef? fence = null) =>
        Akka.Actor.Props.Create(() => new VipNodeController(store, cluster, self, null, fence));

    protected override void PreStart()
    {
        fence?.Tell(LeaseFence.Subscribe.Instance);
        store.Tell(new Watch(ResourceTypes.MachineConfig.Kind));
        // deviceSelector VIPs name no link: which link they mean follows the kernel's links.
        store.Tell(new Watch(ResourceTypes.LinkStatus.Kind));
    }

    protected override void PostStop()
    {
        if (published.Count > 0) store.Tell(new Write(OwnerName, [], published.ToList()), ActorRefs.NoSender);
    }

    /// <summary>The VIPs of the config with every deviceSelector resolved to the link it matches now; a VIP whose
    /// selector matches no link is left out (and said so) until one appears.</summary>
    private IReadOnlyList<VipDefinition> ResolvedVips()
    {
        var vips = new List<VipDefinition>();
        foreach (var vip in config?.Config.Network.Vips ?? [])
        {
            if (vip.Link is not null) { vips.Add(vip); continue; }
            var link = vip.Selector is { } selector ? DeviceSelectorResolver.Resolve(selector, links.Values, hardware) : null;
            if (link is not null) { vips.Add(vip with { Link = link }); continue; }
            if (unresolved.Add(vip.Ip.ToString()))
                log.Warning("VIP {0}: its deviceSelector matches no link yet; not electing it until one appears", vip.Ip);
        }
        return vips;
    }

    private void Evaluate()
    {
        var vips = ResolvedVips();
        settings = config?.Config.Fabric.Cluster;
        var next = string.Join(';', vips.Select(v => $"{v.Ip}|{v.Link}|{v.Announcer}|{v.ApiToken?.GetHashCode()}"))
                   + $"#{settings?.LeaseDuration}/{settings?.LeaseRenewInterval}/{settings?.LeaseDriftMargin}";
        if (next == signature) return;
        signature = next;
        wanted = vips;
        if (restarting) return;
        if (root is null) { StartRoot(); return; }
        restarting = true;
        var old = root;
        root = null;
        old.Ask<VipRoot.AllReleased>(VipRoot.ReleaseAll.Default, TimeSpan.FromSeconds(5))
            .ContinueWith(_ => new RootReleased(old), TaskContinuationOptions.ExecuteSynchronously)
            .PipeTo(Self);
    }

    private void StartRoot()
    {
        var defaults = settings ?? new ClusterSettings { Name = "local", Listen = "127.0.0.1:0" };
        var voters = cluster.Seeds.Count > 0 ? cluster.SeedAddresses : [self];
        var electors = new List<(VipElectorSettings, IVipOwnerActions)>();
        var layer2 = new List<System.Net.IPAddress>();
        foreach (var vip in wanted)
        {
            unresolved.Remove(vip.Ip.ToString());
            var announcer = ProviderAnnouncers.Create(vip, log: m => log.Info(m)) ?? new Layer2Announcer();
            // Only the kernel answers ARP/NDP for a Layer 2 VIP; a provider routes it to the owner by API.
            var fenceHere = fence is not null && announcer is Layer2Announcer;
            if (fenceHere) layer2.Add(vip.Ip);
            electors.Add((new VipElectorSettings(vip.Ip, vip.Link!, self, voters, VipElectorSettings.TimingsFrom(defaults),
                announcer.Name, AnnounceRefresh: defaults.AnnounceRefresh) { Fence = fenceHere ? new ActorLeaseFence(fence!) : NoLeaseFence.Instance },
                new VipOwnerActions(store, announcer)));
        }
        fenced = layer2.Select(ip => ip.ToString()).ToHashSet();
        fence?.Tell(new LeaseFence.Manage("vip", layer2, GuardTraffic: true));
        foreach (var key in published.ToList()) Unpublish(key);
        root = Context.System.ActorOf(VipRoot.Props(electors, Self, clock), VipRoot.Name);
        log.Info("electing {0} VIP(s) with voters {1}", electors.Count, string.Join(", ", voters));
    }

    private void Publish(VipStatus s)
    {
        var key = new ResourceKey(VipResources.Vip.Namespace, VipResources.Vip.Name, s.Ip.ToString());
        published.Add(key);
        statuses[key] = s;
        var since = s.Since is { } at ? DateTimeOffset.UtcNow - (clock.Now - at) : (DateTimeOffset?)null;
        store.Tell(Write.One(OwnerName, new Put(key, new VipState
        {
            Ip = s.Ip.ToString(), Link = s.Link, Owner = s.Owner ?? "", Announcing = s.Owner == self, Epoch = s.Epoch,
            Since = since, Announcer = s.Announcer, LastError = s.LastError ?? "",
            Fence = fenced.Contains(s.Ip.ToString()) ? fenceState : "",
        })), ActorRefs.NoSender);
    }

    private void Unpublish(ResourceKey key)
    {
        published.Remove(key);
        statuses.Remove(key);
        store.Tell(new Write(OwnerName, [], [key]), ActorRefs.NoSender);
    }
}
