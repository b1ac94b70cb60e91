using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>metallb.io/v1beta1 L2Advertisement. No pools and no pool selectors means every pool.</summary>
public sealed record L2Advertisement
{
    public required string Name { get; init; }
    public IReadOnlyList<string> IpAddressPools { get; init; } = [];
    public IReadOnlyList<LabelSelector> IpAddressPoolSelectors { get; init; } = [];
    public IReadOnlyList<LabelSelector> NodeSelectors { get; init; } = [];
    public IReadOnlyList<string> Interfaces { get; init; } = [];
    public SourceLocation? Location { get; init; }
}

/// <summary>metallb.io/v1beta1 BGPAdvertisement. Communities are resolved: aliases from Community documents are
/// replaced by their values, so consumers only see "asn:value" and "large:global:local1:local2" forms.</summary>
public sealed record BgpAdvertisement
{
    public required string Name { get; init; }
    public int AggregationLength { get; init; } = 32;
    public int AggregationLengthV6 { get; init; } = 128;
    public uint? LocalPref { get; init; }
    public IReadOnlyList<string> Communities { get; init; } = [];
    public IReadOnlyList<string> IpAddressPools { get; init; } = [];
    public IReadOnlyList<LabelSelector> IpAddressPoolSelectors { get; init; } = [];
    public IReadOnlyList<LabelSelector> NodeSelectors { get; init; } = [];
    /// <summary>BGPPeer names; empty means all peers.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];
    public SourceLocation? Location { get; init; }

    /// <summary>No pools and no pool selectors means every pool, as in MetalLB.</summary>
    public bool SelectsPool(IpAddressPool pool) =>
        (IpAddressPools.Count == 0 && IpAddressPoolSelectors.Count == 0)
        || IpAddressPools.Contains(pool.Name)
        || IpAddressPoolSelectors.Any(s => s.Matches(pool.Labels));
}

/// <summary>metallb.io/v1beta1 Community: named aliases for community values.</summary>
public sealed record CommunityAliases
{
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string> Values { get; init; } = new Dictionary<string, string>();
    public SourceLocation? Location { get; init; }
}
