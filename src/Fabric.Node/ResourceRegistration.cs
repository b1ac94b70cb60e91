using Fabric.Node.Cli;
using Fabric.Vip.Bgp.Node;

namespace Fabric.Node;

/// <summary>Resource types beyond the node's own network ones, and how the CLI shows them. Both the agent and the
/// CLI call this first, so aliases like `bgppeers` mean the same on both sides.</summary>
public static class ResourceRegistration
{
    public static void RegisterAll()
    {
        BgpResources.Register();
        TableColumns.Register(BgpResources.PeerStatus.Name,
            TableColumn.Spec("ASN", "asn"), TableColumn.Spec("STATE", "state"), TableColumn.Spec("SINCE", "establishedSince"),
            TableColumn.Spec("SENT", "prefixesSent"), TableColumn.Spec("HOLD", "holdTimeSeconds"),
            TableColumn.Spec("CAPABILITIES", "negotiatedCapabilities"), TableColumn.Spec("LAST ERROR", "lastError"));
        TableColumns.Register(BgpResources.AdvertisementStatus.Name,
            TableColumn.Spec("COMMUNITIES", "communities"), TableColumn.Spec("LARGE COMMUNITIES", "largeCommunities"),
            TableColumn.Spec("LOCAL PREF", "localPref"), TableColumn.Spec("MED", "med"), TableColumn.Spec("PEERS", "peers"));
    }
}
