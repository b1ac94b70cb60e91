using System.Net;
using System.Net.Sockets;
using Fabric.Actors.Netlink;

namespace Fabric.Vip.Fence;

/// <summary>The nftables side of the lease fence. @managed holds every address this node may own by Layer 2,
/// @owned (elements with timeouts) those it owns now and until when. The kernel then drops, for a managed address
/// that is not owned, ARP it sends with that sender address (its ARP replies) and neighbour advertisements it sends
/// for that target, so a stale owner goes quiet at its lease end by itself. For the addresses in @guarded (VIPs) it
/// also drops IP traffic it receives: a stale VIP owner stops serving. Service IPs are not guarded, because kube-proxy
/// in IPVS mode puts every LoadBalancer IP on every node (kube-ipvs0) and serves local traffic to it there.
/// <para>Applied with <c>nft -f -</c> as one transaction: tables and sets are added if missing and kept with their
/// elements (an agent restart keeps its predecessor's managed addresses fenced, and its owned elements run out at
/// their own lease end), chains are flushed and refilled, so the rules of this version replace any earlier ones
/// atomically. IPv6 sets are typed by the raw 128 bits because nft 1.0.6 has no ND target selector; the bytes are
/// the address either way.</para></summary>
public static class FenceRuleset
{
    public const string Table = "fabric";

    public static readonly NftSetRef ArpManaged4 = new(NftFamily.Arp, Table, "managed4");
    public static readonly NftSetRef ArpOwned4 = new(NftFamily.Arp, Table, "owned4");
    public static readonly NftSetRef InetManaged4 = new(NftFamily.Inet, Table, "managed4");
    public static readonly NftSetRef InetOwned4 = new(NftFamily.Inet, Table, "owned4");
    public static readonly NftSetRef InetManaged6 = new(NftFamily.Inet, Table, "managed6");
    public static readonly NftSetRef InetOwned6 = new(NftFamily.Inet, Table, "owned6");
    public static readonly NftSetRef InetGuarded4 = new(NftFamily.Inet, Table, "guarded4");
    public static readonly NftSetRef InetGuarded6 = new(NftFamily.Inet, Table, "guarded6");
    /// <summary>Holds nothing that matters: the start-up check of whether re-adding an element renews its timeout.</summary>
    public static readonly NftSetRef Probe = new(NftFamily.Inet, Table, "probe");

    public static IReadOnlyList<NftSetRef> OwnedSets(IPAddress ip) =>
        ip.AddressFamily == AddressFamily.InterNetwork ? [ArpOwned4, InetOwned4] : [InetOwned6];

    public static IReadOnlyList<NftSetRef> ManagedSets(AddressFamily family) =>
        family == AddressFamily.InterNetwork ? [ArpManaged4, InetManaged4] : [InetManaged6];

    /// <summary>Every set that decides what is dropped.</summary>
    public static readonly IReadOnlyList<NftSetRef> AddressSets = [ArpManaged4, InetManaged4, InetManaged6, InetGuarded4, InetGuarded6];

    public static NftSetRef GuardedSet(AddressFamily family) => family == AddressFamily.InterNetwork ? InetGuarded4 : InetGuarded6;

    public const string Script = $$"""
        add table arp {{Table}}
        add set arp {{Table}} managed4 { type ipv4_addr; }
        add set arp {{Table}} owned4 { type ipv4_addr; flags timeout; }
        add chain arp {{Table}} output { type filter hook output priority 0; policy accept; }
        flush chain arp {{Table}} output
        add rule arp {{Table}} output arp saddr ip @managed4 arp saddr ip != @owned4 drop
        add table inet {{Table}}
        add set inet {{Table}} managed4 { type ipv4_addr; }
        add set inet {{Table}} owned4 { type ipv4_addr; flags timeout; }
        add set inet {{Table}} managed6 { typeof @th,64,128; }
        add set inet {{Table}} owned6 { typeof @th,64,128; flags timeout; }
        add set inet {{Table}} guarded4 { type ipv4_addr; }
        add set inet {{Table}} guarded6 { typeof @th,64,128; }
        add set inet {{Table}} probe { type ipv4_addr; flags timeout; }
        add chain inet {{Table}} output { type filter hook output priority 0; policy accept; }
        add chain inet {{Table}} input { type filter hook input priority 0; policy accept; }
        flush chain inet {{Table}} output
        flush chain inet {{Table}} input
        add rule inet {{Table}} output icmpv6 type nd-neighbor-advert @th,64,128 @managed6 @th,64,128 != @owned6 drop
        add rule inet {{Table}} input ip daddr @guarded4 ip daddr != @owned4 drop
        add rule inet {{Table}} input meta nfproto ipv6 @nh,192,128 @guarded6 @nh,192,128 != @owned6 drop

        """;

    /// <summary>When the tables exist with sets of another shape (an older or newer agent), they are replaced whole,
    /// still in one transaction: the managed addresses are then unfenced until declared again.</summary>
    public const string ReplacingScript = RemovingScript + Script;

    /// <summary>Removes both tables, whether they exist or not (each is declared before it is deleted).</summary>
    public const string RemovingScript = $$"""
        table arp {{Table}}
        delete table arp {{Table}}
        table inet {{Table}}
        delete table inet {{Table}}

        """;
}
