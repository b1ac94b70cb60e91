namespace Fabric.Vip.Bgp.Codec;

public readonly record struct BgpAfiSafi(ushort Afi, byte Safi)
{
    public static readonly BgpAfiSafi IPv4Unicast = new(BgpAfi.IPv4, BgpAfi.UnicastSafi);
    public static readonly BgpAfiSafi IPv6Unicast = new(BgpAfi.IPv6, BgpAfi.UnicastSafi);

    public override string ToString() => (Afi, Safi) switch
    {
        (1, 1) => "ipv4-unicast",
        (2, 1) => "ipv6-unicast",
        _ => $"afi{Afi}-safi{Safi}",
    };
}

/// <summary>RFC 4724: per-family Forwarding State bit.</summary>
public readonly record struct BgpGracefulRestartFamily(BgpAfiSafi Family, bool ForwardingPreserved);

public sealed record BgpGracefulRestart(bool Restarting, ushort RestartTimeSeconds, IReadOnlyList<BgpGracefulRestartFamily> Families);

/// <summary>The capabilities of one OPEN. Unknown ones are kept by code only, to be listed and ignored.</summary>
public sealed record BgpCapabilities
{
    public IReadOnlyList<BgpAfiSafi> Multiprotocol { get; init; } = [];
    public uint? FourOctetAs { get; init; }
    public bool RouteRefresh { get; init; }
    public bool EnhancedRouteRefresh { get; init; }
    public BgpGracefulRestart? GracefulRestart { get; init; }
    public IReadOnlyList<byte> Unknown { get; init; } = [];
    /// <summary>Capabilities went in one Optional Parameter each (as BIRD/FRR do) rather than together.</summary>
    public bool OneParameterEach { get; init; }

    /// <summary>RFC 4760 §8: a speaker without the MP capability does IPv4 unicast only.</summary>
    public IReadOnlyList<BgpAfiSafi> EffectiveFamilies => Multiprotocol.Count > 0 ? Multiprotocol : [BgpAfiSafi.IPv4Unicast];

    /// <summary>What both sides can use, as names for `fabric get bgppeers`.</summary>
    public static IReadOnlyList<string> Negotiated(BgpCapabilities local, BgpCapabilities remote)
    {
        var names = new List<string>();
        foreach (var f in local.EffectiveFamilies.Intersect(remote.EffectiveFamilies)) names.Add(f.ToString());
        if (local.FourOctetAs is not null && remote.FourOctetAs is not null) names.Add("4-byte-asn");
        if (local.RouteRefresh && remote.RouteRefresh) names.Add("route-refresh");
        if (local.EnhancedRouteRefresh && remote.EnhancedRouteRefresh) names.Add("enhanced-route-refresh");
        if (local.GracefulRestart is not null && remote.GracefulRestart is not null) names.Add("graceful-restart");
        return names;
    }
}
