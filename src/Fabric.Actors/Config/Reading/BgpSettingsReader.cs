using System.Net;
using System.Net.Sockets;

namespace Fabric.Actors.Config;

/// <summary>`fabric.bgp`: our ASN and router id, peers, and what to advertise to them.</summary>
internal static class BgpSettingsReader
{
    public static readonly string[] Keys = ["asn", "routerId", "peers", "advertisements"];
    private static readonly string[] PeerKeys =
    [
        "address", "asn", "port", "holdTime", "keepaliveTime", "connectRetryTime", "password", "ebgpMultiHop", "gtsm",
        "sourceAddress", "gracefulRestart", "passive", "disableFourByteAsn",
    ];
    private static readonly string[] AdvertisementKeys = ["prefixes", "communities", "largeCommunities", "localPref", "med", "peers"];
    private const string AsnRange = "ASN";

    public static BgpSettings? Read(YMap bgp)
    {
        var asn = (uint?)bgp.UInt("asn", 1, uint.MaxValue, AsnRange);
        if (!bgp.Has("asn")) bgp.Error("asn is required: this node's autonomous system number");
        var routerId = RouterId(bgp);
        var peers = bgp.List("peers", "peers").Select(Peer).OfType<BgpPeerSettings>().ToList();
        var peerAddresses = peers.Select(p => p.Address).ToHashSet();
        var advertisements = bgp.List("advertisements", "advertisements")
            .Select(a => Advertisement(a, peerAddresses)).OfType<BgpAdvertisementSettings>().ToList();
        if (asn is null || routerId is null) return null;
        return new BgpSettings { Asn = asn.Value, RouterId = routerId, Peers = peers, Advertisements = advertisements };
    }

    private static IPAddress? RouterId(YMap bgp)
    {
        if (bgp["routerId"] is not { } node) { bgp.Error("routerId is required: an IPv4 address identifying this speaker"); return null; }
        if (node.AsString() is not { } text) return null;
        if (ValueRules.TryParseIp(text, out var ip) && ip.AddressFamily == AddressFamily.InterNetwork) return ip;
        node.Error($"routerId must be an IPv4 address (BGP identifiers are 32 bits, even on IPv6-only nodes), got \"{text}\"");
        return null;
    }

    private static BgpPeerSettings? Peer(YNode node)
    {
        if (node.AsMap(PeerKeys) is not { } peer) return null;
        var address = peer["address"]?.AsIp("the peer's IP address");
        if (!peer.Has("address")) peer.Error("address is required: the peer's IP address");
        var asn = (uint?)peer.UInt("asn", 1, uint.MaxValue, AsnRange);
        if (!peer.Has("asn")) peer.Error("asn is required: the peer's autonomous system number");
        var defaults = new BgpPeerSettings { Address = IPAddress.None, Asn = 1 };
        var port = (ushort?)peer.UInt("port", 1, 65535, "port") ?? defaults.Port;

        var holdTime = peer.Duration("holdTime") ?? defaults.HoldTime;
        if (holdTime != TimeSpan.Zero && holdTime < TimeSpan.FromSeconds(3))
            peer["holdTime"]!.Value.Error($"holdTime must be 0 (no keepalives) or at least 3s (RFC 4271), got {GoDuration.Format(holdTime)}");
        // Unset keepalive follows the hold time down, so `holdTime: 9s` alone is valid.
        var keepalive = peer.Duration("keepaliveTime")
                        ?? (holdTime == TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(defaults.KeepaliveTime.Ticks, holdTime.Ticks / 3)));
        if (holdTime != TimeSpan.Zero && keepalive >= holdTime && peer["keepaliveTime"] is { } keepaliveNode)
            keepaliveNode.Error($"keepaliveTime {GoDuration.Format(keepalive)} must be shorter than holdTime {GoDuration.Format(holdTime)} (a third of it is usual), or the session drops between keepalives");
        var connectRetry = peer.Duration("connectRetryTime") ?? defaults.ConnectRetryTime;

        var source = peer["sourceAddress"]?.AsIp("a local IP address");
        if (source is not null && address is not null && source.AddressFamily != address.AddressFamily)
            peer["sourceAddress"]!.Value.Error($"sourceAddress {source} is {LinkPartsReader.Family(source.AddressFamily)} but the peer {address} is {LinkPartsReader.Family(address.AddressFamily)}");

        var settings = new BgpPeerSettings
        {
            Address = address ?? IPAddress.None,
            Asn = asn ?? 0,
            Port = port,
            HoldTime = holdTime,
            KeepaliveTime = keepalive,
            ConnectRetryTime = connectRetry,
            Password = peer.String("password") ?? "",
            EbgpMultiHop = peer.Bool("ebgpMultiHop") ?? false,
            Gtsm = peer.Bool("gtsm") ?? false,
            SourceAddress = source,
            GracefulRestart = peer.Bool("gracefulRestart") ?? false,
            Passive = peer.Bool("passive") ?? false,
            DisableFourByteAsn = peer.Bool("disableFourByteAsn") ?? false,
        };
        return address is null || asn is null ? null : settings;
    }

    private static BgpAdvertisementSettings? Advertisement(YNode node, IReadOnlySet<IPAddress> peers)
    {
        if (node.AsMap(AdvertisementKeys) is not { } advertisement) return null;
        var prefixes = advertisement.List("prefixes", "CIDR prefixes").Select(n => n.AsPrefix()).OfType<IpPrefix>().ToList();
        if (!advertisement.Has("prefixes")) advertisement.Error("prefixes is required: the CIDR prefixes to announce");
        var communities = Checked(advertisement, "communities", ValueRules.CommunityProblem);
        var large = Checked(advertisement, "largeCommunities", ValueRules.LargeCommunityProblem);
        var targets = new List<IPAddress>();
        foreach (var item in advertisement.List("peers", "peer addresses"))
        {
            if (item.AsIp("a peer address") is not { } ip) continue;
            if (peers.Contains(ip)) targets.Add(ip);
            else item.Error($"{ip} is not one of the configured bgp.peers");
        }
        return new BgpAdvertisementSettings
        {
            Prefixes = prefixes,
            Communities = communities,
            LargeCommunities = large,
            LocalPref = (uint?)advertisement.UInt("localPref", 0, uint.MaxValue, "localPref"),
            Med = (uint?)advertisement.UInt("med", 0, uint.MaxValue, "med"),
            Peers = targets,
        };
    }

    private static List<string> Checked(YMap map, string key, Func<string, string?> problemOf)
    {
        var values = new List<string>();
        foreach (var item in map.List(key, "strings"))
        {
            if (item.AsString() is not { } text) continue;
            if (problemOf(text) is { } problem) item.Error(problem);
            else values.Add(text);
        }
        return values;
    }
}
