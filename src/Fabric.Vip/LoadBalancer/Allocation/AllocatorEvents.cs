using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>What the allocator journals. Small, flat and versioned by manifest (see AllocatorEventSerializer):
/// change a shape by adding a new record and manifest, never by editing one that is already on disk.</summary>
public abstract record AllocatorEvent;

/// <summary>A service holds these addresses (replaces whatever it held). Carries the sharing traits so sharing
/// stays enforceable after a restart without the service objects.</summary>
public sealed record IpAllocated(
    string Service, string Source, IReadOnlyList<string> Ips, string Pool,
    string? SharingKey, IReadOnlyList<ServicePort> Ports, string TrafficPolicy, string BackendKey) : AllocatorEvent
{
    public SharingTraits Traits => new(SharingKey, Ports, TrafficPolicy, BackendKey);
}

public sealed record IpReleased(string Service) : AllocatorEvent;

/// <summary>The pools now configured, so a recovered allocator knows them before the config is re-read.</summary>
public sealed record PoolsChanged(IReadOnlyList<PoolDefinition> Pools) : AllocatorEvent;

/// <summary>An IPAddressPool as journaled: addresses as written, re-parsed on recovery.</summary>
public sealed record PoolDefinition(
    string Name, IReadOnlyList<string> Addresses, bool AutoAssign, bool AvoidBuggyIps,
    IReadOnlyDictionary<string, string>? Labels, ServiceAllocationRule? ServiceAllocation)
{
    public static PoolDefinition Of(IpAddressPool pool) =>
        new(pool.Name, pool.Addresses, pool.AutoAssign, pool.AvoidBuggyIps, pool.Labels, pool.ServiceAllocation);

    public IpAddressPool ToPool() => new()
    {
        Name = Name,
        Addresses = Addresses,
        Ranges = Addresses.Select(a => AddressRange.TryParse(a, out var r, out _) ? r : (AddressRange?)null)
            .OfType<AddressRange>().ToList(),
        AutoAssign = AutoAssign,
        AvoidBuggyIps = AvoidBuggyIps,
        Labels = Labels ?? new Dictionary<string, string>(),
        ServiceAllocation = ServiceAllocation,
    };
}

/// <summary>The whole allocator state, saved every N events so recovery replays only the tail.</summary>
public sealed record AllocatorSnapshot(IReadOnlyList<PoolDefinition> Pools, IReadOnlyList<IpAllocated> Allocations);
