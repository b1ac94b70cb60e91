using Akka.Actor;

namespace Fabric.Vip.Election;

/// <summary>Hooks graceful VIP hand-over into Akka's coordinated shutdown, which runs on SIGTERM: every VIP this
/// node owns is withdrawn and its lease released before the node leaves, so the next owner takes over at once
/// instead of waiting for the lease to run out.</summary>
public static class VipShutdown
{
    public static void Register(ActorSystem system, IActorRef vipRoot, TimeSpan? timeout = null) =>
        Register(system, vipRoot.Ask<VipRoot.AllReleased>, timeout);

    /// <summary>For a node whose electors' parent is replaced when its VIPs change: whoever is at /user/vip then.</summary>
    public static void Register(ActorSystem system, TimeSpan? timeout = null) =>
        Register(system, (message, wait) => system.ActorSelection($"/user/{VipRoot.Name}").Ask<VipRoot.AllReleased>(message, wait), timeout);

    private static void Register(ActorSystem system, Func<object, TimeSpan?, Task<VipRoot.AllReleased>> ask, TimeSpan? timeout)
    {
        var t = timeout ?? TimeSpan.FromSeconds(2);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "fabric-vip-release", async () =>
        {
            try { await ask(new VipRoot.ReleaseAll(t), t + TimeSpan.FromMilliseconds(500)); }
            catch (Exception e) when (e is AskTimeoutException or ActorNotFoundException) { /* the leases then simply expire */ }
            return Akka.Done.Instance;
        });
    }
}
