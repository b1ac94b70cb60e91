using System.Net;
using System.Net.Sockets;
using Fabric.Actors;
using Fabric.Vip.Bgp.Codec;
using Fabric.Vip.Bgp.Speaker;

namespace Fabric.Vip.Bgp.Session;

/// <summary>
/// Turns routes into the UPDATEs one established session sends: our AS prepended toward eBGP, LOCAL_PREF only toward
/// iBGP (RFC 4271 §5.1.5), next-hop-self per family, only negotiated families, many prefixes per UPDATE.
/// </summary>
public sealed class BgpOutboundEncoder(
    uint localAsn, bool ebgp, BgpEncodeOptions options, IReadOnlySet<BgpAfiSafi> families,
    IPAddress? nextHopV4, IPAddress? nextHopV6)
{
    public IReadOnlySet<BgpAfiSafi> Families => families;

    public static BgpAfiSafi FamilyOf(IpPrefix prefix) => prefix.IsIPv6 ? BgpAfiSafi.IPv6Unicast : BgpAfiSafi.IPv4Unicast;

    /// <summary>Encodes announcements; returns how many prefixes went out (others: family not negotiated, or no next hop).</summary>
    public int Announce(IEnumerable<BgpRoute> routes, List<byte[]> output, List<string>? problems = null)
    {
        var sent = 0;
        foreach (var group in routes.GroupBy(r => (Family: FamilyOf(r.Prefix), r.Attributes)))
        {
            var family = group.Key.Family;
            if (!families.Contains(family)) continue;
            var nextHop = group.Key.Attributes.NextHop is { } nh && (nh.AddressFamily == AddressFamily.InterNetworkV6) == (family == BgpAfiSafi.IPv6Unicast)
                ? nh : family == BgpAfiSafi.IPv6Unicast ? nextHopV6 : nextHopV4;
            if (nextHop is null)
            {
                problems?.Add($"no {family} next hop for {group.Count()} prefixes: set nextHopIPv6 for this peer");
                continue;
            }
            // Host bits are masked as prefixes are written; no per-prefix copies here.
            var prefixes = group.Select(r => r.Prefix).ToList();
            var attributes = PathAttributes(group.Key.Attributes, family == BgpAfiSafi.IPv4Unicast ? nextHop : null);
            BgpUpdatePacker.PackAnnouncements(family, attributes, [nextHop], prefixes, options, output);
            sent += prefixes.Count;
        }
        return sent;
    }

    public void Withdraw(IEnumerable<IpPrefix> prefixes, List<byte[]> output)
    {
        foreach (var group in prefixes.GroupBy(FamilyOf))
            if (families.Contains(group.Key))
                BgpUpdatePacker.PackWithdrawals(group.Key, group.ToList(), output);
    }

    public BgpPathAttributes PathAttributes(BgpRouteAttributes route, IPAddress? ipv4NextHop) => new()
    {
        Origin = 0, // IGP: these are our own prefixes
        AsPath = ebgp ? [new BgpAsPathSegment(BgpAsPathSegmentType.AsSequence, [localAsn])] : [],
        NextHop = ipv4NextHop,
        Med = route.Med,
        LocalPref = ebgp ? null : route.LocalPref ?? 100,
        Communities = route.Communities,
        LargeCommunities = route.LargeCommunities,
    };
}
