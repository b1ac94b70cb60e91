namespace Fabric.Vip.Election;

/// <summary>Lease traffic runs on its own threads so that slow work elsewhere (reconcilers, API, persistence)
/// cannot delay a renewal past the lease and cost the VIP its owner.</summary>
public static class LeaseDispatcher
{
    public const string Id = "fabric.lease-dispatcher";

    public const string Hocon = """
        fabric.lease-dispatcher {
          type = ForkJoinDispatcher
          throughput = 50
          dedicated-thread-pool {
            thread-count = 2
            threadtype = background
          }
        }
        """;
}
