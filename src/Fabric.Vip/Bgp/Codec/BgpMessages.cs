using System.Net;
using Fabric.Actors;

namespace Fabric.Vip.Bgp.Codec;

public abstract record BgpMessage
{
    public abstract BgpMessageType Type { get; }
}

public sealed record BgpOpenMessage(byte Version, ushort MyAs, ushort HoldTime, uint BgpId, BgpCapabilities Capabilities) : BgpMessage
{
    public override BgpMessageType Type => BgpMessageType.Open;

    /// <summary>The real AS: the 4-byte capability's when present, else the 2-byte field.</summary>
    public uint EffectiveAs => Capabilities.FourOctetAs ?? MyAs;
}

public sealed record BgpKeepaliveMessage : BgpMessage
{
    public static readonly BgpKeepaliveMessage Instance = new();
    public override BgpMessageType Type => BgpMessageType.Keepalive;
}

public sealed record BgpNotificationMessage(byte Code, byte Subcode, byte[] Data) : BgpMessage
{
    public override BgpMessageType Type => BgpMessageType.Notification;

    public override string ToString() => Describe(Code, Subcode) + (Data.Length > 0 ? $" data={Convert.ToHexString(Data)}" : "");

    public static string Describe(byte code, byte subcode) => (code, subcode) switch
    {
        (1, 1) => "Message Header Error/Connection Not Synchronized",
        (1, 2) => "Message Header Error/Bad Message Length",
        (1, 3) => "Message Header Error/Bad Message Type",
        (1, _) => $"Message Header Error/{subcode}",
        (2, 1) => "OPEN Error/Unsupported Version Number",
        (2, 2) => "OPEN Error/Bad Peer AS",
        (2, 3) => "OPEN Error/Bad BGP Identifier",
        (2, 4) => "OPEN Error/Unsupported Optional Parameter",
        (2, 6) => "OPEN Error/Unacceptable Hold Time",
        (2, 7) => "OPEN Error/Unsupported Capability",
        (2, _) => $"OPEN Error/{subcode}",
        (3, _) => $"UPDATE Error/{subcode}",
        (4, _) => "Hold Timer Expired",
        (5, _) => $"Finite State Machine Error/{subcode}",
        (6, 2) => "Cease/Administrative Shutdown",
        (6, 3) => "Cease/Peer De-configured",
        (6, 4) => "Cease/Administrative Reset",
        (6, 5) => "Cease/Connection Rejected",
        (6, 7) => "Cease/Connection Collision Resolution",
        (6, _) => $"Cease/{subcode}",
        (7, _) => $"ROUTE-REFRESH Error/{subcode}",
        _ => $"Error {code}/{subcode}",
    };
}

/// <summary>RFC 2918; Subtype 1/2 are RFC 7313's Beginning/End of Route Refresh.</summary>
public sealed record BgpRouteRefreshMessage(ushort Afi, byte Subtype, byte Safi) : BgpMessage
{
    public const byte Request = 0, BeginningOfRefresh = 1, EndOfRefresh = 2;
    public override BgpMessageType Type => BgpMessageType.RouteRefresh;
}

public sealed record BgpUpdateMessage(
    IReadOnlyList<IpPrefix> Withdrawn,
    BgpPathAttributes Attributes,
    IReadOnlyList<IpPrefix> Nlri) : BgpMessage
{
    public override BgpMessageType Type => BgpMessageType.Update;

    /// <summary>RFC 4724 §2: an empty UPDATE (IPv4) or an MP_UNREACH with no NLRI (other families).</summary>
    public bool IsEndOfRib(out ushort afi, out byte safi)
    {
        afi = BgpAfi.IPv4; safi = BgpAfi.UnicastSafi;
        if (Withdrawn.Count == 0 && Nlri.Count == 0 && Attributes.IsEmpty) return true;
        if (Withdrawn.Count == 0 && Nlri.Count == 0 && Attributes.MpUnreach is { Prefixes.Count: 0 } u
            && Attributes.CountPresent() == 1)
        {
            afi = u.Afi; safi = u.Safi;
            return true;
        }
        return false;
    }

    public int AnnouncedCount => Nlri.Count + (Attributes.MpReach?.Prefixes.Count ?? 0);
    public int WithdrawnCount => Withdrawn.Count + (Attributes.MpUnreach?.Prefixes.Count ?? 0);
}

public enum BgpAsPathSegmentType : byte { AsSet = 1, AsSequence = 2, ConfedSequence = 3, ConfedSet = 4 }

public sealed record BgpAsPathSegment(BgpAsPathSegmentType Type, IReadOnlyList<uint> Asns);

public sealed record BgpMpReach(ushort Afi, byte Safi, IReadOnlyList<IPAddress> NextHops, IReadOnlyList<IpPrefix> Prefixes);

public sealed record BgpMpUnreach(ushort Afi, byte Safi, IReadOnlyList<IpPrefix> Prefixes);

public readonly record struct BgpLargeCommunity(uint Global, uint Local1, uint Local2)
{
    public override string ToString() => $"{Global}:{Local1}:{Local2}";
}

public sealed record BgpUnknownAttribute(byte Flags, byte Type, byte[] Value);
