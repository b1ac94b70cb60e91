using Akka.Actor;

namespace Fabric.Vip.Election;

/// <summary>The well-known parent /user/vip: one <see cref="VipElector"/> child per VIP, named by its id, so
/// peers find each other's electors at /user/vip/&lt;vip-id&gt;.</summary>
public sealed class VipRoot : ReceiveActor
{
    public const string Name = "vip";

    /// <summary>Graceful stop of every VIP on this node; answered with <see cref="AllReleased"/>.</summary>
    public sealed record ReleaseAll(TimeSpan Timeout)
    {
        public static readonly ReleaseAll Default = new(TimeSpan.FromSeconds(2));
    }

    public sealed record AllReleased(IReadOnlyList<string> VipIds);

    public static Props Props(IReadOnlyList<(VipElectorSettings Settings, IVipOwnerActions Actions)> vips, IActorRef listener, IMonotonicClock clock) =>
        Akka.Actor.Props.Create(() => new VipRoot(vips, listener, clock));

    public VipRoot(IReadOnlyList<(VipElectorSettings Settings, IVipOwnerActions Actions)> vips, IActorRef listener, IMonotonicClock clock)
    {
        foreach (var (settings, actions) in vips)
            Context.ActorOf(VipElector.Props(settings, actions, listener, clock), settings.VipId);
        Receive<ReleaseAll>(r =>
        {
            var sender = Sender;
            var asks = Context.GetChildren().Select(c => c.Ask<VipElector.Released>(VipElector.Release.Instance, r.Timeout)).ToList();
            // Reply when every elector has withdrawn and released (or timed out); the actor is not blocked.
            Task.WhenAll(asks).ContinueWith(t =>
                new AllReleased(t.IsCompletedSuccessfully ? t.Result.Select(x => x.VipId).ToList() : []), TaskScheduler.Default).PipeTo(sender);
        });
    }
}
