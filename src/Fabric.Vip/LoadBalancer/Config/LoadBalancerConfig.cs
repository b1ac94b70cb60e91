using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>Every MetalLB document Fabric understood from one source (config files or the Kubernetes API), with
/// the problems found. <see cref="IsValid"/> false means the caller should keep its previous configuration.</summary>
public sealed record LoadBalancerConfig
{
    public IReadOnlyList<IpAddressPool> Pools { get; init; } = [];
    public IReadOnlyList<L2Advertisement> L2Advertisements { get; init; } = [];
    public IReadOnlyList<BgpAdvertisement> BgpAdvertisements { get; init; } = [];
    public IReadOnlyList<BgpPeer> BgpPeers { get; init; } = [];
    public IReadOnlyList<CommunityAliases> Communities { get; init; } = [];
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; init; } = [];

    public bool IsValid => !Diagnostics.Any(d => d.IsError);

    public static readonly LoadBalancerConfig Empty = new();
}

/// <summary>One MetalLB object before it is typed: identity plus its tree.</summary>
public sealed record LoadBalancerDocument(string ApiVersion, string Kind, string Name, DocNode Root);
