namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>What passes between the allocator singleton (<see cref="AllocatorSingleton"/>) and the load balancer
/// controller of every node. A controller subscribes through the singleton proxy; it gets <see cref="Subscribed"/>,
/// the whole state as <see cref="Allocations"/> parts, <see cref="StateComplete"/> and <see cref="Pools"/>, then every
/// change. Large sets go in parts of <see cref="PartSize"/> so no remoting frame outgrows its limit.</summary>
public static class AllocatorFeed
{
    public const int PartSize = 100;

    /// <summary>Sent by a controller (the sender subscribes). Sending it again asks for the whole state again.</summary>
    public sealed record Subscribe
    {
        public static readonly Subscribe Instance = new();
    }

    /// <summary>The subscription is in place; <paramref name="Node"/> is the cluster address of the node the allocator runs
    /// on. The controller on that node leads: it feeds the allocator and writes to Kubernetes.</summary>
    public sealed record Subscribed(string Node);

    /// <summary>Part of the whole state after <see cref="Subscribed"/>, or services whose allocation changed. A service
    /// with no addresses and no error is gone.</summary>
    public sealed record Allocations(IReadOnlyList<ServiceAllocation> Items);

    /// <summary>The whole state has been sent: services the subscriber shows that were not in it are gone.</summary>
    public sealed record StateComplete
    {
        public static readonly StateComplete Instance = new();
    }

    /// <summary>Every pool's use, sent whole whenever it may have changed.</summary>
    public sealed record Pools(IReadOnlyList<PoolStatus> Items);

    /// <summary>The allocator was restarted from its journal after a failure. The journal has every allocation, but
    /// not the services still waiting for an address: the leading controller sends its sources' services again.</summary>
    public sealed record Resync
    {
        public static readonly Resync Instance = new();
    }

    /// <summary>The ClusterSingletonManager's termination message: stop once the journal writes in flight are done,
    /// so the allocator's next home recovers every decision this one announced.</summary>
    public sealed record Stop
    {
        public static readonly Stop Instance = new();
    }

    public static IEnumerable<Allocations> InParts(IEnumerable<ServiceAllocation> items) =>
        items.Chunk(PartSize).Select(part => new Allocations(part));
}
