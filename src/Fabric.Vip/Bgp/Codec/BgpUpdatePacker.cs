using System.Net;
using Fabric.Actors;

namespace Fabric.Vip.Bgp.Codec;

/// <summary>Packs many prefixes sharing one attribute set into as few UPDATEs as fit in 4096 bytes each.</summary>
public static class BgpUpdatePacker
{
    /// <summary>
    /// IPv4 unicast prefixes go in the NLRI field with <paramref name="attributes"/>' NEXT_HOP; any other family goes in
    /// MP_REACH_NLRI with <paramref name="mpNextHops"/> (and NEXT_HOP is left out, RFC 4760 §3).
    /// </summary>
    // Bulk loads run once, right after Established: compile optimised at once instead of via tier 0.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void PackAnnouncements(BgpAfiSafi family, BgpPathAttributes attributes, IReadOnlyList<IPAddress> mpNextHops,
        IReadOnlyList<IpPrefix> prefixes, BgpEncodeOptions options, List<byte[]> output)
    {
        Span<byte> buffer = stackalloc byte[BgpConstants.MaxMessageLength];
        var ipv4 = family == BgpAfiSafi.IPv4Unicast;
        var common = attributes with { MpReach = null, MpUnreach = null, NextHop = ipv4 ? attributes.NextHop : null };
        var next = 0;
        while (next < prefixes.Count)
        {
            var w = new BgpWriter(buffer);
            BgpMessageEncoder.WriteHeader(ref w, BgpMessageType.Update);
            w.WriteUInt16(0);
            var attrsAt = w.Position;
            w.WriteUInt16(0);
            BgpAttributeWriter.Write(ref w, common, options, includeMpReach: false);
            if (ipv4)
            {
                w.PatchUInt16(attrsAt, (ushort)(w.Position - attrsAt - 2));
                next = WritePrefixes(ref w, prefixes, next);
            }
            else
            {
                // Extended length always: the NLRI count is not known until the message is full.
                w.WriteByte(BgpAttributeFlags.Optional | BgpAttributeFlags.ExtendedLength);
                w.WriteByte(BgpAttributeType.MpReachNlri);
                var mpLengthAt = w.Position;
                w.WriteUInt16(0);
                BgpAttributeWriter.WriteMpReachBody(ref w, family.Afi, family.Safi, mpNextHops);
                next = WritePrefixes(ref w, prefixes, next);
                w.PatchUInt16(mpLengthAt, (ushort)(w.Position - mpLengthAt - 2));
                w.PatchUInt16(attrsAt, (ushort)(w.Position - attrsAt - 2));
            }
            BgpMessageEncoder.FinishHeader(ref w, 0);
            output.Add(w.Written.ToArray());
        }
    }

    // Bulk loads run once, right after Established: compile optimised at once instead of via tier 0.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void PackWithdrawals(BgpAfiSafi family, IReadOnlyList<IpPrefix> prefixes, List<byte[]> output)
    {
        Span<byte> buffer = stackalloc byte[BgpConstants.MaxMessageLength];
        var next = 0;
        while (next < prefixes.Count)
        {
            var w = new BgpWriter(buffer);
            BgpMessageEncoder.WriteHeader(ref w, BgpMessageType.Update);
            if (family == BgpAfiSafi.IPv4Unicast)
            {
                var withdrawnAt = w.Position;
                w.WriteUInt16(0);
                // Leave room for the 2-byte (empty) attribute length that follows.
                next = WritePrefixes(ref w, prefixes, next, reserve: 2);
                w.PatchUInt16(withdrawnAt, (ushort)(w.Position - withdrawnAt - 2));
                w.WriteUInt16(0);
            }
            else
            {
                w.WriteUInt16(0);
                var attrsAt = w.Position;
                w.WriteUInt16(0);
                w.WriteByte(BgpAttributeFlags.Optional | BgpAttributeFlags.ExtendedLength);
                w.WriteByte(BgpAttributeType.MpUnreachNlri);
                var mpLengthAt = w.Position;
                w.WriteUInt16(0);
                w.WriteUInt16(family.Afi);
                w.WriteByte(family.Safi);
                next = WritePrefixes(ref w, prefixes, next);
                w.PatchUInt16(mpLengthAt, (ushort)(w.Position - mpLengthAt - 2));
                w.PatchUInt16(attrsAt, (ushort)(w.Position - attrsAt - 2));
            }
            BgpMessageEncoder.FinishHeader(ref w, 0);
            output.Add(w.Written.ToArray());
        }
    }

    // Bulk loads run once, right after Established: compile optimised at once instead of via tier 0.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static int WritePrefixes(ref BgpWriter w, IReadOnlyList<IpPrefix> prefixes, int next, int reserve = 0)
    {
        if (next < prefixes.Count && BgpPrefixCodec.EncodedLength(prefixes[next]) > w.Remaining - reserve)
            throw new InvalidOperationException("path attributes leave no room for a single prefix");
        while (next < prefixes.Count && BgpPrefixCodec.EncodedLength(prefixes[next]) <= w.Remaining - reserve)
            BgpPrefixCodec.Write(ref w, prefixes[next++]);
        return next;
    }
}
