using System.Net;
using System.Net.Sockets;
using Fabric.Actors;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>A service as the BGP announcer needs it: its addresses and pool (from the allocator) and its traffic
/// policy (from its source).</summary>
public sealed record AnnouncedService
{
    public required string Key { get; init; }
    public IReadOnlyList<IPAddress> Ips { get; init; } = [];
    public string Pool { get; init; } = "";
    public string ExternalTrafficPolicy { get; init; } = "Cluster";
    /// <summary>Nodes with a ready endpoint; null when the source knows no endpoints (v1 Service documents).</summary>
    public IReadOnlyList<string>? ReadyNodes { get; init; }
}

/// <summary>Everything the advertisements of one node depend on.</summary>
public sealed record BgpAnnouncementInput
{
    public required string NodeName { get; init; }
    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();
    /// <summary>The speaker's ASN; null when the node has no speaker.</summary>
    public uint? LocalAsn { get; init; }
    public IReadOnlyList<NodeBgpPeer> Peers { get; init; } = [];
    public required LoadBalancerConfig Config { get; init; }
    public IReadOnlyList<AnnouncedService> Services { get; init; } = [];
}

/// <summary>What to hand the speaker (as one source) and what to show per service.</summary>
public sealed record BgpAnnouncementPlan(IReadOnlyList<BgpAdvertisementSettings> Advertisements, IReadOnlyList<ServiceBgpState> Services);

/// <summary>
/// MetalLB's BGP mode on one node, as a pure function. Per service address and per BGPAdvertisement that selects
/// the service's pool and this node: the address's prefix aggregated to aggregationLength(V6), to the advertisement's
/// peers (BGPPeer names; none named: every peer of the node) with its communities and, to iBGP peers only, its
/// localPref. Where several advertisements give one prefix to one peer (two advertisements of a pool, or
/// services sharing an aggregate) the communities are merged and the highest localPref wins.
/// externalTrafficPolicy Local: only nodes with a ready endpoint announce; a source without endpoints (config
/// documents) cannot tell, so every node announces and the service carries a warning.
/// </summary>
public static class BgpServiceAdvertisements
{
    public static BgpAnnouncementPlan Compute(BgpAnnouncementInput input)
    {
        var routes = new Dictionary<(IpPrefix Prefix, IPAddress Peer), RouteAttributes>();
        var pools = input.Config.Pools.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var states = input.Services
            .OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => Announce(input, s, pools, routes))
            .ToList();
        return new BgpAnnouncementPlan(Group(routes), states);
    }

    private static ServiceBgpState Announce(BgpAnnouncementInput input, AnnouncedService service, Dictionary<string, IpAddressPool> pools,
        Dictionary<(IpPrefix, IPAddress), RouteAttributes> routes)
    {
        var state = new ServiceBgpState { Service = service.Key, Ips = service.Ips.Select(ip => ip.ToString()).ToList() };
        var local = service.ExternalTrafficPolicy == "Local";
        if (local && service.ReadyNodes is null)
            state = state with { Warning = "externalTrafficPolicy Local, but its source knows no endpoints: announced from every eligible node" };
        if (service.Ips.Count == 0) return state with { Reason = "no address allocated" };
        if (local && service.ReadyNodes is { } ready && !ready.Contains(input.NodeName))
            return state with { Reason = "externalTrafficPolicy Local and no ready endpoint on this node" };
        if (!pools.TryGetValue(service.Pool, out var pool))
            return state with { Reason = service.Pool.Length == 0 ? "no pool" : $"pool {service.Pool} is not configured" };
        var ads = input.Config.BgpAdvertisements.Where(a => a.SelectsPool(pool)).ToList();
        if (ads.Count == 0) return state with { Reason = $"no BGPAdvertisement selects pool {pool.Name}" };
        if (input.LocalAsn is not { } asn || input.Peers.Count == 0) return state with { Reason = "this node has no BGP peers" };

        var reasons = new List<string>();
        var prefixes = new List<IpPrefix>();
        var peers = new List<NodeBgpPeer>();
        var used = new List<string>();
        foreach (var ad in ads)
        {
            if (ad.NodeSelectors.Count > 0 && !ad.NodeSelectors.Any(s => s.Matches(input.NodeLabels)))
            {
                reasons.Add($"BGPAdvertisement {ad.Name} does not select this node");
                continue;
            }
            var targets = ad.Peers.Count == 0
                ? input.Peers
                : input.Peers.Where(p => p.IsBgpPeerDocument && ad.Peers.Contains(p.Name)).ToList();
            if (targets.Count == 0)
            {
                reasons.Add($"none of the peers of BGPAdvertisement {ad.Name} ({string.Join(", ", ad.Peers)}) is a peer of this node");
                continue;
            }
            used.Add(ad.Name);
            foreach (var ip in service.Ips)
            {
                var length = ip.AddressFamily == AddressFamily.InterNetworkV6 ? ad.AggregationLengthV6 : ad.AggregationLength;
                var prefix = new IpPrefix(ip, length).Network;
                if (!prefixes.Contains(prefix)) prefixes.Add(prefix);
                foreach (var peer in targets)
                {
                    if (!peers.Contains(peer)) peers.Add(peer);
                    if (!routes.TryGetValue((prefix, peer.Address), out var attributes))
                        routes[(prefix, peer.Address)] = attributes = new RouteAttributes();
                    attributes.Add(ad, ibgp: peer.Asn == asn);
                }
            }
        }
        if (used.Count == 0) return state with { Reason = string.Join("; ", reasons) };
        return state with
        {
            Prefixes = prefixes.Select(p => p.ToString()).ToList(),
            Peers = peers.Select(p => p.ToString()).ToList(),
            Advertisements = used,
        };
    }

    /// <summary>One speaker entry per distinct (attributes, peers), listing its prefixes; per prefix the peer sets
    /// are disjoint, which is what lets the speaker send one prefix with different attributes to different peers.</summary>
    private static List<BgpAdvertisementSettings> Group(Dictionary<(IpPrefix Prefix, IPAddress Peer), RouteAttributes> routes)
    {
        var entries = new Dictionary<string, (BgpAdvertisementSettings Settings, List<IpPrefix> Prefixes)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var byPrefix in routes.GroupBy(r => r.Key.Prefix).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        foreach (var variant in byPrefix.GroupBy(r => r.Value.Signature, StringComparer.Ordinal))
        {
            var peers = variant.Select(r => r.Key.Peer).OrderBy(p => p.ToString(), StringComparer.Ordinal).ToList();
            var key = variant.Key + "|" + string.Join(",", peers);
            if (!entries.TryGetValue(key, out var entry))
            {
                entries[key] = entry = (variant.First().Value.ToSettings(peers), []);
                order.Add(key);
            }
            entry.Prefixes.Add(byPrefix.Key);
        }
        return order.Select(k => entries[k].Settings with { Prefixes = entries[k].Prefixes }).ToList();
    }

    /// <summary>The merged attributes of one prefix to one peer.</summary>
    private sealed class RouteAttributes
    {
        private readonly List<string> communities = [];
        private readonly List<string> large = [];
        private uint? localPref;

        public void Add(BgpAdvertisement ad, bool ibgp)
        {
            foreach (var community in ad.Communities)
            {
                // Resolved MetalLB form: "asn:value" or "large:global:local1:local2"; the speaker wants large ones bare.
                var (list, text) = community.StartsWith("large:", StringComparison.Ordinal) ? (large, community["large:".Length..]) : (communities, community);
                if (!list.Contains(text)) list.Add(text);
            }
            // LOCAL_PREF is an iBGP attribute (RFC 4271 5.1.5); MetalLB sets it only on iBGP sessions too.
            if (ibgp && ad.LocalPref is { } lp && (localPref is null || lp > localPref)) localPref = lp;
        }

        public string Signature => $"{string.Join(",", communities)}|{string.Join(",", large)}|{localPref}";

        public BgpAdvertisementSettings ToSettings(IReadOnlyList<IPAddress> peers) => new()
        {
            Communities = communities.ToList(),
            LargeCommunities = large.ToList(),
            LocalPref = localPref,
            Peers = peers,
        };
    }
}
