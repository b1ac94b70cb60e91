using Fabric.Node.Cli;
using Fabric.Vip.Bgp.Node;
using Fabric.Vip.LoadBalancer.Announce;
using Fabric.Vip.LoadBalancer.Node;
using Fabric.Vip.Node;

namespace Fabric.Node;

/// <summary>Resource types beyond the node's own network ones, and how the CLI shows them. Both the agent and the
/// CLI call this first, so aliases like `bgppeers` mean the same on both sides.</summary>
public static class ResourceRegistration
{
    public static void RegisterAll()
    {
        BgpResources.Register();
        VipResources.Register();
        LoadBalancerResources.Register();
        ServiceL2Resources.Register();
        TableColumns.Register(ServiceL2Resources.State.Name,
            TableColumn.Spec("SERVICE", "service"), TableColumn.Spec("LINK", "link"), TableColumn.Spec("OWNER", "owner"),
            TableColumn.Spec("ANNOUNCING", "announcing"), TableColumn.Spec("ELIGIBLE", "eligible"), TableColumn.Spec("EPOCH", "epoch"),
            TableColumn.Spec("SINCE", "since"), TableColumn.Spec("REASON", "reason"), TableColumn.Spec("FENCE", "fence"),
            TableColumn.Spec("LAST ERROR", "lastError"));
        TableColumns.Register(LoadBalancerResources.Service.Name,
            TableColumn.Spec("IPS", "ips"), TableColumn.Spec("POOL", "pool"), TableColumn.Spec("ERROR", "error"), TableColumn.Spec("WARNING", "warning"));
        TableColumns.Register(LoadBalancerResources.Pool.Name,
            TableColumn.Spec("SIZE", "size"), TableColumn.Spec("USED", "used"), TableColumn.Spec("FREE", "free"),
            TableColumn.Spec("AUTO ASSIGN", "autoAssign"), TableColumn.Spec("ADDRESSES", "addresses"));
        TableColumns.Register(LoadBalancerResources.Config.Name, TableColumn.Spec("VERSION", "version"), TableColumn.Spec("OBJECTS", "objects"));
        TableColumns.Register(LoadBalancerResources.ConfigSource.Name,
            TableColumn.Spec("OBJECTS", "objects"), TableColumn.Spec("STATE", "state"), TableColumn.Spec("SINCE", "since"),
            TableColumn.Spec("ERRORS", "errors"), TableColumn.Spec("NOTE", "note"));
        ServiceBgpResources.Register();
        TableColumns.Register(ServiceBgpResources.State.Name,
            TableColumn.Spec("IPS", "ips"), TableColumn.Spec("PREFIXES", "prefixes"), TableColumn.Spec("PEERS", "peers"),
            TableColumn.Spec("ADVERTISEMENTS", "advertisements"), TableColumn.Spec("REASON", "reason"), TableColumn.Spec("WARNING", "warning"));
        TableColumns.Register(VipResources.Vip.Name,
            TableColumn.Spec("LINK", "link"), TableColumn.Spec("OWNER", "owner"), TableColumn.Spec("ANNOUNCING", "announcing"),
            TableColumn.Spec("EPOCH", "epoch"), TableColumn.Spec("SINCE", "since"), TableColumn.Spec("ANNOUNCER", "announcer"),
            TableColumn.Spec("FENCE", "fence"), TableColumn.Spec("LAST ERROR", "lastError"));
        TableColumns.Register(VipResources.Member.Name,
            TableColumn.Spec("STATUS", "status"), TableColumn.Spec("REACHABLE", "reachable"), TableColumn.Spec("SELF", "isSelf"),
            TableColumn.Spec("LEADER", "isLeader"));
        TableColumns.Register(BgpResources.PeerStatus.Name,
            TableColumn.Spec("ASN", "asn"), TableColumn.Spec("STATE", "state"), TableColumn.Spec("SINCE", "establishedSince"),
            TableColumn.Spec("SENT", "prefixesSent"), TableColumn.Spec("HOLD", "holdTimeSeconds"),
            TableColumn.Spec("CAPABILITIES", "negotiatedCapabilities"), TableColumn.Spec("LAST ERROR", "lastError"));
        TableColumns.Register(BgpResources.AdvertisementStatus.Name,
            TableColumn.Spec("COMMUNITIES", "communities"), TableColumn.Spec("LARGE COMMUNITIES", "largeCommunities"),
            TableColumn.Spec("LOCAL PREF", "localPref"), TableColumn.Spec("MED", "med"), TableColumn.Spec("PEERS", "peers"));
    }
}
