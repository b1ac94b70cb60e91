namespace Fabric.Vip.Cluster;

/// <summary>Cluster settings Fabric runs with. The split brain resolver only cleans up membership; VIP ownership
/// never waits for it (the lease majority decides), so its timings can stay conservative.</summary>
public static class FabricClusterHocon
{
    public const string SplitBrainResolver = """
        akka.cluster {
          downing-provider-class = "Akka.Cluster.SBR.SplitBrainResolverProvider, Akka.Cluster"
          split-brain-resolver {
            active-strategy = keep-majority
            stable-after = 7s
            keep-majority.role = ""
          }
          # A downed node leaves the cluster for good; the process then exits (DownedNodeExit) and its
          # supervisor starts a fresh incarnation that joins again.
          run-coordinated-shutdown-when-down = on
        }
        akka.coordinated-shutdown.exit-clr = off
        """;

    /// <summary>Akka's proxy warns "failed to find an associated singleton ... after 30 seconds" at every start, in
    /// the millisecond it starts looking (akka.net#8568). The load balancer says it itself, when it is true
    /// (<see cref="Fabric.Vip.LoadBalancer.Node.LoadBalancerNodeController.AllocatorSilenceWarning"/>).</summary>
    public const string SingletonProxy = "akka.cluster.singleton-proxy.log-singleton-identification-failure = off";
}
