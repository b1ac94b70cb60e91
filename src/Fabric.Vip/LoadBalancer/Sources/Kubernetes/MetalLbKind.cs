namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>A MetalLB custom resource the source watches and forwards as raw JSON.</summary>
public sealed record MetalLbKind(string Group, string Version, string Plural, string Kind)
{
    public const string MetalLbGroup = "metallb.io";

    public static readonly IReadOnlyList<MetalLbKind> All =
    [
        new(MetalLbGroup, "v1beta1", "ipaddresspools", "IPAddressPool"),
        new(MetalLbGroup, "v1beta1", "l2advertisements", "L2Advertisement"),
        new(MetalLbGroup, "v1beta1", "bgpadvertisements", "BGPAdvertisement"),
        new(MetalLbGroup, "v1beta1", "communities", "Community"),
        new(MetalLbGroup, "v1beta2", "bgppeers", "BGPPeer"),
    ];
}
