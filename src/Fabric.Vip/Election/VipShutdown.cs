using Akka.Actor;

namespace Fabric.Vip.Election;

/// <summary>Hooks graceful VIP hand-over into Akka's coordinated shutdown, which runs on SIGTERM: every VIP this
/// node owns is withdrawn and its lease released before the node leaves, so the next owner takes over at once
/// instead of waiting for the lease to run out.</summary>
public static class VipShutdown
{
    public static void Register(ActorSystem system, IActorRef vipRoot, TimeSpan? timeout = null)
    {
        var t = timeout ?? TimeSpan.FromSeconds(2);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "fabric-vip-release", async () =>
        {
            try { await vipRoot.Ask<VipRoot.AllReleased>(new VipRoot.ReleaseAll(t), t + TimeSpan.FromMilliseconds(500)); }
            catch (AskTimeoutException) { /* the leases then simply expire */ }
            return Akka.Done.Instance;
        });
    }
}
