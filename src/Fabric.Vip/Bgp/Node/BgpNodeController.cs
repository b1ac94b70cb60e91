using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Bgp.Speaker;

namespace Fabric.Vip.Bgp.Node;

/// <summary>Runs the node's BGP speaker from the running machine config: starts it when fabric.bgp appears, hands
/// it every new version (only changed peers restart), stops it when the section goes (each session sends a Cease),
/// and publishes what the speaker reports as BgpPeerStatus and BgpAdvertisementStatus resources.</summary>
public sealed class BgpNodeController : ReceiveActor
{
    public const string OwnerName = "BgpNodeController";

    private readonly IActorRef store;
    private readonly Func<BgpSettings, IActorRef, Props> speakerProps;
    private readonly HashSet<ResourceKey> published = [];
    private IActorRef? speaker;
    private long generation = -1;

    public BgpNodeController(IActorRef store, Func<BgpSettings, IActorRef, Props>? speakerProps = null)
    {
        this.store = store;
        this.speakerProps = speakerProps ?? BgpSpeaker.Props;
        Receive<WatchSnapshot>(m => OnConfig(m.Resources.Select(r => r.Spec).OfType<MachineConfigSpec>().FirstOrDefault()));
        Receive<WatchEvents>(m => OnConfig(m.Events.LastOrDefault() is { Type: not EventType.Destroyed } e ? e.Resource.Spec as MachineConfigSpec : null));
        Receive<BgpPeerStatus>(s => Publish(BgpResources.PeerStatus, s.Address, s, gone: s.State == "Removed"));
        Receive<BgpAdvertisementStatus>(s => Publish(BgpResources.AdvertisementStatus, s.Prefix, s, gone: s.Peers.Count == 0 && s.Sources.Count == 0));
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(speaker)) return;
            speaker = null;
            Clear();
        });
    }

    public static Props Props(IActorRef store) => Akka.Actor.Props.Create(() => new BgpNodeController(store, null));

    protected override void PreStart() => store.Tell(new Watch(ResourceTypes.MachineConfig.Kind));

    private void OnConfig(MachineConfigSpec? config)
    {
        if (config is not null && config.Generation == generation) return;
        generation = config?.Generation ?? -1;
        var bgp = config?.Config.Fabric.Bgp;
        if (bgp is null)
        {
            if (speaker is not null) Context.Stop(speaker);
            return;
        }
        if (speaker is null)
        {
            speaker = Context.ActorOf(speakerProps(bgp, Self), "speaker");
            Context.Watch(speaker);
        }
        else speaker.Tell(new BgpSpeaker.Apply(bgp));
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
