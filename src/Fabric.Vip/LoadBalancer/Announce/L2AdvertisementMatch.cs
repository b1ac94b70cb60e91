using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>MetalLB's rules for which pools and nodes an L2Advertisement covers.</summary>
public static class L2AdvertisementMatch
{
    /// <summary>Named in ipAddressPools, or matched by one of ipAddressPoolSelectors; neither given means every pool.</summary>
    public static bool SelectsPool(L2Advertisement ad, IpAddressPool pool) =>
        ad.IpAddressPools.Count == 0 && ad.IpAddressPoolSelectors.Count == 0
        || ad.IpAddressPools.Contains(pool.Name)
        || ad.IpAddressPoolSelectors.Any(s => s.Matches(pool.Labels));

    /// <summary>Matched by one of nodeSelectors; none given means every node.</summary>
    public static bool MatchesNode(L2Advertisement ad, L2NodeIdentity node) =>
        ad.NodeSelectors.Count == 0 || ad.NodeSelectors.Any(s => s.Matches(node.Labels));
}
