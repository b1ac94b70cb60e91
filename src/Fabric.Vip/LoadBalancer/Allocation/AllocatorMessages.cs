using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>What the allocator actor accepts besides <see cref="ServiceSourceMessages"/>, and what it answers.</summary>
public static class AllocatorMessages
{
    /// <summary>The IPAddressPools now configured (from a valid <see cref="LoadBalancerConfig"/>). Answered with
    /// a <see cref="PoolStatusReport"/> once journaled; also published to the listener.</summary>
    public sealed record ConfigurePools(IReadOnlyList<IpAddressPool> Pools);

    public sealed record GetPoolStatus
    {
        public static readonly GetPoolStatus Instance = new();
    }

    public sealed record GetAllocations
    {
        public static readonly GetAllocations Instance = new();
    }

    public sealed record PoolStatusReport(IReadOnlyList<PoolStatus> Pools);

    /// <summary>Answer to GetAllocations and to a source's Snapshot (its services only).</summary>
    public sealed record AllocationsReport(IReadOnlyList<ServiceAllocation> Allocations);
}
