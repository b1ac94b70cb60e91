using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Bgp.Speaker;
using Fabric.Vip.LoadBalancer.Announce;
using Fabric.Vip.LoadBalancer.Config;
using Fabric.Vip.LoadBalancer.Node;

namespace Fabric.Vip.Bgp.Node;

/// <summary>Runs the node's BGP speaker from the running machine config and the node's load balancer config: fabric.bgp
/// plus the MetalLB BGPPeers (of the file or the Kubernetes API, as LoadBalancerConfigSpec holds them) that select
/// this node (<see cref="NodeBgpSettings"/>). Starts it when the first peer or fabric.bgp appears, hands it
/// every new version (only changed peers restart), stops it when both go (each session sends a Cease), and
/// publishes what the speaker reports as BgpPeerStatus and BgpAdvertisementStatus resources. Other parts of the
/// node (the load balancer) send it <see cref="BgpSpeaker.SetAdvertisements"/>: it keeps the latest per source and
/// gives them to every speaker it starts.</summary>
public sealed class BgpNodeController : ReceiveActor
{
    public const string OwnerName = "BgpNodeController";

    private readonly IActorRef store;
    private readonly Func<BgpSettings, IActorRef, Props> speakerProps;
    private readonly string? nodeName;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly HashSet<ResourceKey> published = [];
    private readonly Dictionary<string, BgpSpeaker.SetAdvertisements> sources = new(StringComparer.Ordinal);
    private IActorRef? speaker;
    private MachineConfigSpec? config;
    private LoadBalancerConfig? lb;
    private int speakers;

    /// <param name="nodeName">Matched by BGPPeer nodeSelectors as the kubernetes.io/hostname label.</param>
    public BgpNodeController(IActorRef store, string? nodeName = null, Func<BgpSettings, IActorRef, Props>? speakerProps = null)
    {
        this.store = store;
        this.nodeName = nodeName;
        this.speakerProps = speakerProps ?? BgpSpeaker.Props;
        Receive<WatchSnapshot>(m => OnChange(m.Kind, m.Resources.Select(r => r.Spec).FirstOrDefault()));
        Receive<WatchEvents>(m => OnChange(m.Kind, m.Events.LastOrDefault() is { Type: not EventType.Destroyed } e ? e.Resource.Spec : null));
        // A stopped speaker's last words must not bring back what Clear() removed.
        Receive<BgpPeerStatus>(s => Sender.Equals(speaker), s => Publish(BgpResources.PeerStatus, s.Address, s, gone: s.State == "Removed"));
        Receive<BgpAdvertisementStatus>(s => Sender.Equals(speaker), s => Publish(BgpResources.AdvertisementStatus, s.Prefix, s, gone: s.Peers.Count == 0 && s.Sources.Count == 0));
        Receive<BgpSpeaker.SetAdvertisements>(s =>
        {
            sources[s.Source] = s;
            speaker?.Tell(s);
        });
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(speaker)) return;
            speaker = null;
            Clear();
        });
        Receive<BgpPeerStatus>(_ => { });
        Receive<BgpAdvertisementStatus>(_ => { });
    }

    public static Props Props(IActorRef store, string? nodeName = null) => Akka.Actor.Props.Create(() => new BgpNodeController(store, nodeName, null));

    protected override void PreStart()
    {
        store.Tell(new Watch(ResourceTypes.MachineConfig.Kind));
        store.Tell(new Watch(LoadBalancerResources.Config.Kind));
    }

    /// <summary>A removed load balancer config keeps the last one (it is only ever replaced); a removed machine config
    /// stops the speaker.</summary>
    private void OnChange(ResourceKind kind, IResourceSpec? spec)
    {
        if (kind == ResourceTypes.MachineConfig.Kind)
        {
            var next = spec as MachineConfigSpec;
            if (next is not null && config is not null && next.Generation == config.Generation) return;
            config = next;
        }
        else if (kind == LoadBalancerResources.Config.Kind)
        {
            if (spec is not LoadBalancerConfigSpec next || ReferenceEquals(next.Config, lb)) return;
            lb = next.Config;
        }
        else return;
        // The MetalLB BGPPeers are part of the speaker's settings: it waits for them rather than start without and
        // restart its sessions a moment later.
        if (config is not null && lb is null) return;
        Run();
    }

    private void Run()
    {
        var bgp = config is null ? null : Settings(config.Config, lb!);
        if (bgp is null)
        {
            if (speaker is null) return;
            Context.Stop(speaker);
            speaker = null;
            Clear();
            return;
        }
        if (speaker is null)
        {
            // A fresh name each time: the previous speaker may still be stopping.
            speaker = Context.ActorOf(speakerProps(bgp, Self), $"speaker-{++speakers}");
            Context.Watch(speaker);
            foreach (var s in sources.Values) speaker.Tell(s);
        }
        else speaker.Tell(new BgpSpeaker.Apply(bgp));
    }

    private BgpSettings? Settings(MachineConfig config, LoadBalancerConfig lb)
    {
        var node = NodeBgpSettings.Build(config, lb, nodeName);
        // Validation checked the BGPPeers with the node name the config gives; the real name can select others.
        foreach (var d in node.Diagnostics) log.Error("BGP peer left out: {0}", d);
        return node.Settings;
    }

    private void Publish(ResourceType type, string id, IResourceSpec spec, bool gone)
    {
        var key = new ResourceKey(type.Namespace, type.Name, id);
        if (gone)
        {
            if (published.Remove(key)) store.Tell(new Write(OwnerName, [], [key]), ActorRefs.NoSender);
            return;
        }
        published.Add(key);
        store.Tell(Write.One(OwnerName, new Put(key, spec)), ActorRefs.NoSender);
    }

    private void Clear()
    {
        if (published.Count > 0) store.Tell(new Write(OwnerName, [], published.ToList()), ActorRefs.NoSender);
        published.Clear();
    }
}
