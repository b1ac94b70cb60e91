using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Bgp.Speaker;
using Fabric.Vip.LoadBalancer.Announce;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.Bgp.Node;

/// <summary>Runs the node's BGP speaker from the running machine config: fabric.bgp plus the MetalLB BGPPeers that
/// select this node (<see cref="NodeBgpSettings"/>). Starts it when the first peer or fabric.bgp appears, hands it
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
    private long generation = -1;
    private int speakers;

    /// <param name="nodeName">Matched by BGPPeer nodeSelectors as the kubernetes.io/hostname label.</param>
    public BgpNodeController(IActorRef store, string? nodeName = null, Func<BgpSettings, IActorRef, Props>? speakerProps = null)
    {
        this.store = store;
        this.nodeName = nodeName;
        this.speakerProps = speakerProps ?? BgpSpeaker.Props;
        Receive<WatchSnapshot>(m => OnConfig(m.Resources.Select(r => r.Spec).OfType<MachineConfigSpec>().FirstOrDefault()));
        Receive<WatchEvents>(m => OnConfig(m.Events.LastOrDefault() is { Type: not EventType.Destroyed } e ? e.Resource.Spec as MachineConfigSpec : null));
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

    protected override void PreStart() => store.Tell(new Watch(ResourceTypes.MachineConfig.Kind));

    private void OnConfig(MachineConfigSpec? config)
    {
        if (config is not null && config.Generation == generation) return;
        generation = config?.Generation ?? -1;
        var bgp = config is null ? null : Settings(config.Config);
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

    private BgpSettings? Settings(MachineConfig config)
    {
        var node = NodeBgpSettings.Build(config, LoadBalancerConfigReader.FromExtraDocuments(config.ExtraDocuments), nodeName);
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
