using Fabric.Actors.Resources;
using Fabric.Vip.Bgp.Speaker;

namespace Fabric.Vip.Bgp.Node;

/// <summary>The resource types the BGP speaker publishes: one per peer (id: its address) and one per advertised
/// prefix (id: the prefix).</summary>
public static class BgpResources
{
    public static readonly ResourceType PeerStatus =
        new(nameof(BgpPeerStatus), typeof(BgpPeerStatus), Namespaces.Network, ["bgppeers", "bgppeer", "bgppeerstatuses"]);

    public static readonly ResourceType AdvertisementStatus =
        new(nameof(BgpAdvertisementStatus), typeof(BgpAdvertisementStatus), Namespaces.Network, ["bgpadvertisements", "bgpadvertisement"]);

    public static void Register()
    {
        ResourceTypes.Register(PeerStatus);
        ResourceTypes.Register(AdvertisementStatus);
    }
}
