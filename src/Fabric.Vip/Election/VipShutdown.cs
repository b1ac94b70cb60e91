using Akka.Actor;

namespace Fabric.Vip.Election;

/// <summary>Hooks graceful VIP hand-over into Akka's coordinated shutdown, which runs on SIGTERM: every VIP this
/// node owns is withdrawn and its lease released before the node leaves, so the next owner takes over at once
/// instead of waiting for the lease to run out. Other users of the election (load balancer service IPs) register
/// their own electors' parent the same way.</summary>
public static class VipShutdown
{
    public static void Register(ActorSystem system, IActorRef vipRoot, TimeSpan? timeout = null) =>
        Register(system, "fabric-vip-release", vipRoot.Ask<VipRoot.AllReleased>, timeout);

    /// <summary>For a node whose electors' parent is replaced when its VIPs change: whoever is at /user/vip then.</summary>
    public static void Register(ActorSystem system, TimeSpan? timeout = null) => Register(system, "/user/" + VipRoot.Name, timeout);

    /// <summary>Whatever <see cref="VipRoot"/> is at <paramref name="rootPath"/> when the node stops.</summary>
    public static void Register(ActorSystem system, string rootPath, TimeSpan? timeout = null) =>
        Register(system, rootPath == "/user/" + VipRoot.Name ? "fabric-vip-release" : $"fabric-release{rootPath.Replace('/', '-')}",
            (message, wait) => system.ActorSelection(rootPath).Ask<VipRoot.AllReleased>(message, wait), timeout);

    private static void Register(ActorSystem system, string taskName, Func<object, TimeSpan?, Task<VipRoot.AllReleased>> ask, TimeSpan? timeout)
    {
        var t = timeout ?? TimeSpan.FromSeconds(2);
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, taskName, async () =>
        {
            try { await ask(new VipRoot.ReleaseAll(t), t + TimeSpan.FromMilliseconds(500)); }
            catch (Exception e) when (e is AskTimeoutException or ActorNotFoundException) { /* the leases then simply expire */ }
            return Akka.Done.Instance;
        });
    }
}
