using Fabric.Actors;

namespace Fabric.Vip.Bgp.Codec;

/// <summary>Writes path attributes in ascending type order (RFC 4271 §5 recommends it), extended length only when needed.</summary>
public static class BgpAttributeWriter
{
    /// <summary>Writes every attribute except MP_REACH_NLRI (written last by <paramref name="mpReach"/> callers) .</summary>
    public static void Write(ref BgpWriter w, BgpPathAttributes a, BgpEncodeOptions options, bool includeMpReach = true)
    {
        if (a.Origin is { } origin) { Header(ref w, BgpAttributeFlags.Transitive, BgpAttributeType.Origin, 1); w.WriteByte(origin); }

        var as4Path = a.As4Path;
        if (a.AsPath is { } path)
        {
            var wide = options.FourOctetAs;
            var len = path.Sum(s => 2 + s.Asns.Count * (wide ? 4 : 2));
            Header(ref w, BgpAttributeFlags.Transitive, BgpAttributeType.AsPath, len);
            WriteSegments(ref w, path, wide);
            // RFC 6793 §4.2.2: a 2-byte peer sees AS_TRANS, the real path travels in AS4_PATH.
            if (!wide && as4Path is null && path.Any(s => s.Asns.Any(x => x > ushort.MaxValue))) as4Path = path;
        }
        if (a.NextHop is { } nh)
        {
            Header(ref w, BgpAttributeFlags.Transitive, BgpAttributeType.NextHop, 4);
            Span<byte> b = stackalloc byte[16];
            nh.TryWriteBytes(b, out _);
            w.WriteBytes(b[..4]);
        }
        if (a.Med is { } med) { Header(ref w, BgpAttributeFlags.Optional, BgpAttributeType.Med, 4); w.WriteUInt32(med); }
        if (a.LocalPref is { } lp) { Header(ref w, BgpAttributeFlags.Transitive, BgpAttributeType.LocalPref, 4); w.WriteUInt32(lp); }
        if (a.AtomicAggregate) Header(ref w, BgpAttributeFlags.Transitive, BgpAttributeType.AtomicAggregate, 0);
        if (a.Communities.Count > 0)
        {
            Header(ref w, BgpAttributeFlags.Optional | BgpAttributeFlags.Transitive, BgpAttributeType.Communities, a.Communities.Count * 4);
            foreach (var c in a.Communities) w.WriteUInt32(c);
        }
        if (includeMpReach && a.MpReach is { } reach) WriteMpReach(ref w, reach);
        if (a.MpUnreach is { } unreach)
        {
            var len = 3 + unreach.Prefixes.Sum(BgpPrefixCodec.EncodedLength);
            Header(ref w, BgpAttributeFlags.Optional, BgpAttributeType.MpUnreachNlri, len);
            w.WriteUInt16(unreach.Afi);
            w.WriteByte(unreach.Safi);
            foreach (var p in unreach.Prefixes) BgpPrefixCodec.Write(ref w, p);
        }
        if (as4Path is not null)
        {
            var len = as4Path.Sum(s => 2 + s.Asns.Count * 4);
            Header(ref w, BgpAttributeFlags.Optional | BgpAttributeFlags.Transitive, BgpAttributeType.As4Path, len);
            WriteSegments(ref w, as4Path, true);
        }
        if (a.LargeCommunities.Count > 0)
        {
            Header(ref w, BgpAttributeFlags.Optional | BgpAttributeFlags.Transitive, BgpAttributeType.LargeCommunities, a.LargeCommunities.Count * 12);
            foreach (var c in a.LargeCommunities) { w.WriteUInt32(c.Global); w.WriteUInt32(c.Local1); w.WriteUInt32(c.Local2); }
        }
        foreach (var other in a.Other)
        {
            Header(ref w, (byte)(other.Flags & ~BgpAttributeFlags.ExtendedLength), other.Type, other.Value.Length);
            w.WriteBytes(other.Value);
        }
    }

    public static void WriteMpReach(ref BgpWriter w, BgpMpReach reach)
    {
        var nhLen = reach.NextHops.Sum(n => n.GetAddressBytes().Length);
        var len = 5 + nhLen + reach.Prefixes.Sum(BgpPrefixCodec.EncodedLength);
        Header(ref w, BgpAttributeFlags.Optional, BgpAttributeType.MpReachNlri, len);
        WriteMpReachBody(ref w, reach.Afi, reach.Safi, reach.NextHops);
        foreach (var p in reach.Prefixes) BgpPrefixCodec.Write(ref w, p);
    }

    /// <summary>AFI, SAFI, next hop(s) and the reserved byte: what precedes the NLRI in MP_REACH_NLRI.</summary>
    public static void WriteMpReachBody(ref BgpWriter w, ushort afi, byte safi, IReadOnlyList<System.Net.IPAddress> nextHops)
    {
        w.WriteUInt16(afi);
        w.WriteByte(safi);
        var lengthAt = w.Position;
        w.WriteByte(0);
        foreach (var nh in nextHops) w.WriteBytes(nh.GetAddressBytes());
        w.PatchByte(lengthAt, (byte)(w.Position - lengthAt - 1));
        w.WriteByte(0);
    }

    public static void Header(ref BgpWriter w, byte flags, byte type, int length)
    {
        if (length > 255)
        {
            w.WriteByte((byte)(flags | BgpAttributeFlags.ExtendedLength));
            w.WriteByte(type);
            w.WriteUInt16((ushort)length);
        }
        else
        {
            w.WriteByte(flags);
            w.WriteByte(type);
            w.WriteByte((byte)length);
        }
    }

    private static void WriteSegments(ref BgpWriter w, IReadOnlyList<BgpAsPathSegment> path, bool wide)
    {
        foreach (var segment in path)
        {
            w.WriteByte((byte)segment.Type);
            w.WriteByte((byte)segment.Asns.Count);
            foreach (var asn in segment.Asns)
            {
                if (wide) w.WriteUInt32(asn);
                else w.WriteUInt16(asn > ushort.MaxValue ? BgpConstants.AsTrans : (ushort)asn);
            }
        }
    }

    public static int PrefixBytes(IReadOnlyList<IpPrefix> prefixes) => prefixes.Sum(BgpPrefixCodec.EncodedLength);
}
