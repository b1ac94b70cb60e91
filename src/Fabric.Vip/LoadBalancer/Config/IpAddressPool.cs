using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Allocation;

namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>metallb.io/v1beta1 IPAddressPool.</summary>
public sealed record IpAddressPool
{
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>spec.addresses as written (CIDRs or ranges), for display.</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];
    public IReadOnlyList<AddressRange> Ranges { get; init; } = [];
    public bool AutoAssign { get; init; } = true;
    public bool AvoidBuggyIps { get; init; }
    public ServiceAllocationRule? ServiceAllocation { get; init; }
    public SourceLocation? Location { get; init; }
}

/// <summary>spec.serviceAllocation: which services may take addresses from the pool and in which order pools
/// are tried (lower priority value first; pools without a priority after those with one).</summary>
public sealed record ServiceAllocationRule
{
    public int? Priority { get; init; }
    public IReadOnlyList<string> Namespaces { get; init; } = [];
    public IReadOnlyList<LabelSelector> NamespaceSelectors { get; init; } = [];
    public IReadOnlyList<LabelSelector> ServiceSelectors { get; init; } = [];
}
