using Akka.Actor;

namespace Fabric.Vip.Election;

/// <summary>The well-known parent /user/vip: one <see cref="VipElector"/> child per VIP, named by its id, so
/// peers find each other's electors at /user/vip/&lt;vip-id&gt;.</summary>
public sealed class VipRoot : ReceiveActor
{
    public const string Name = "vip";

    public static Props Props(IReadOnlyList<(VipElectorSettings Settings, IVipOwnerActions Actions)> vips, IActorRef listener, IMonotonicClock clock) =>
        Akka.Actor.Props.Create(() => new VipRoot(vips, listener, clock));

    public VipRoot(IReadOnlyList<(VipElectorSettings Settings, IVipOwnerActions Actions)> vips, IActorRef listener, IMonotonicClock clock)
    {
        foreach (var (settings, actions) in vips)
            Context.ActorOf(VipElector.Props(settings, actions, listener, clock), settings.VipId);
        // Graceful stop of every VIP: forwarded so each elector replies to the original asker.
        Receive<VipElector.Release>(r => { foreach (var c in Context.GetChildren()) c.Forward(r); });
    }
}
