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
        var shutdown = CoordinatedShutdown.Get(system);
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberRemoved(() =>
        {
            // A node leaving because its host asked it to (SIGTERM) is not a downed node: the host ends the
            // process itself, with its own exit code.
            if (shutdown.ShutdownReason is not (null or CoordinatedShutdown.ClusterDowningReason)) return;
            system.Terminate().ContinueWith(_ => exit(RemovedExitCode), TaskScheduler.Default);
        });
    }
}
