using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Election;
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

    public VipNodeController(IActorRef store, ClusterBootstrap cluster, string self)
    {
        this.store = store;
        this.cluster = cluster;
        this.self = self;
        Receive<WatchSnapshot>(m => OnConfig(m.Resources.Select(r => r.Spec).OfType<MachineConfigSpec>().FirstOrDefault()));
        Receive<WatchEvents>(m => OnConfig(m.Events.LastOrDefault() is { Type: not EventType.Destroyed } e ? e.Resource.Spec as MachineConfigSpec : null));
        Receive<VipStatus>(Publish);
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

    public static Props Props(IActorRef store, ClusterBootstrap cluster, string self) =>
        Akka.Actor.Props.Create(() => new VipNodeController(store, cluster, self));

    protected override void PreStart() => store.Tell(new Watch(ResourceTypes.MachineConfig.Kind));

    protected override void PostStop()
    {
        if (published.Count > 0) store.Tell(new Write(OwnerName, [], published.ToList()), ActorRefs.NoSender);
    }

    private void OnConfig(MachineConfigSpec? config)
    {
        var vips = config?.Config.Network.Vips ?? [];
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
        foreach (var vip in wanted)
        {
            if (vip.Link is null)
            {
                log.Warning("VIP {0}: no link named (deviceSelector VIPs are not supported yet); not electing it", vip.Ip);
                continue;
            }
            var announcer = ProviderAnnouncers.Create(vip, log: m => log.Info(m)) ?? new Layer2Announcer();
            electors.Add((new VipElectorSettings(vip.Ip, vip.Link, self, voters, VipElectorSettings.TimingsFrom(defaults),
                announcer.Name, AnnounceRefresh: defaults.AnnounceRefresh), new VipOwnerActions(store, announcer)));
        }
        foreach (var key in published.ToList()) Unpublish(key);
        root = Context.System.ActorOf(VipRoot.Props(electors, Self, clock), VipRoot.Name);
        log.Info("electing {0} VIP(s) with voters {1}", electors.Count, string.Join(", ", voters));
    }

    private void Publish(VipStatus s)
    {
        var key = new ResourceKey(VipResources.Vip.Namespace, VipResources.Vip.Name, s.Ip.ToString());
        published.Add(key);
        var since = s.Since is { } at ? DateTimeOffset.UtcNow - (clock.Now - at) : (DateTimeOffset?)null;
        store.Tell(Write.One(OwnerName, new Put(key, new VipState
        {
            Ip = s.Ip.ToString(), Link = s.Link, Owner = s.Owner ?? "", Announcing = s.Owner == self, Epoch = s.Epoch,
            Since = since, Announcer = s.Announcer, LastError = s.LastError ?? "",
        })), ActorRefs.NoSender);
    }

    private void Unpublish(ResourceKey key)
    {
        published.Remove(key);
        store.Tell(new Write(OwnerName, [], [key]), ActorRefs.NoSender);
    }
}
