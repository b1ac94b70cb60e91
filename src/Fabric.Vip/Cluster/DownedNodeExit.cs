using Akka.Actor;

namespace Fabric.Vip.Cluster;

/// <summary>Makes a node that was removed from the cluster (downed by the split brain resolver, or left) end its
/// process, so its supervisor restarts it: a downed Akka node can never rejoin with the same incarnation and would
/// otherwise linger as a zombie.</summary>
public static class DownedNodeExit
{
    /// <summary>Exit code used when the node was removed from the cluster: non-zero so systemd/Kubernetes restart it.</summary>
    public const int RemovedExitCode = 75;

    /// <param name="exit">Ends the process; defaults to <see cref="Environment.Exit"/>. Tests pass a recorder.</param>
    public static void Register(ActorSystem system, Action<int>? exit = null)
    {
        exit ??= Environment.Exit;
        var removed = 0;
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberRemoved(() =>
        {
            Interlocked.Exchange(ref removed, 1);
            system.Terminate();
        });
        system.WhenTerminated.ContinueWith(_ => exit(Volatile.Read(ref removed) == 1 ? RemovedExitCode : 0), TaskScheduler.Default);
    }
}
