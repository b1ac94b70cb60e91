using System.Net;
using System.Net.Sockets;
using Fabric.Actors;

namespace Fabric.Vip.Bgp.Codec;

/// <summary>
/// UPDATE body (RFC 4271 §4.3, RFC 4760, RFC 6793) with RFC 7606 error handling: errors confined to one
/// attribute set <see cref="BgpPathAttributes.TreatAsWithdraw"/>; only errors that make the NLRI impossible to
/// locate reset the session.
/// </summary>
public static class BgpUpdateDecoder
{
    private static BgpDecodeResult Reset(byte subcode, string reason, byte[]? data = null) =>
        BgpDecodeResult.Fail(new BgpError(BgpErrorCode.Update, subcode, data ?? [], reason));

    public static BgpDecodeResult Decode(ReadOnlySpan<byte> body, BgpDecodeOptions options)
    {
        var r = new BgpReader(body);
        if (!r.TryReadUInt16(out var withdrawnLength) || !r.TryReadBytes(withdrawnLength, out var withdrawnBytes))
            return Reset(BgpUpdateSubcode.MalformedAttributeList, "withdrawn routes length overruns the message");
        if (!r.TryReadUInt16(out var attributesLength) || !r.TryReadBytes(attributesLength, out var attributeBytes))
            return Reset(BgpUpdateSubcode.MalformedAttributeList, "total path attribute length overruns the message");
        var nlriBytes = r.Rest;

        var withdrawn = new List<IpPrefix>();
        if (!BgpPrefixCodec.TryReadAll(withdrawnBytes, AddressFamily.InterNetwork, withdrawn, out var error))
            return Reset(BgpUpdateSubcode.InvalidNetworkField, "withdrawn routes: " + error);
        var nlri = new List<IpPrefix>();
        if (!BgpPrefixCodec.TryReadAll(nlriBytes, AddressFamily.InterNetwork, nlri, out error))
            return Reset(BgpUpdateSubcode.InvalidNetworkField, "NLRI: " + error);

        var attrs = new AttributeParser(options);
        var fatal = attrs.Parse(attributeBytes);
        if (fatal is not null) return BgpDecodeResult.Fail(fatal);
        var result = attrs.Result;

        // RFC 7606 §3.d: a missing mandatory attribute withdraws rather than resets.
        var announces = nlri.Count > 0 || result.MpReach is { Prefixes.Count: > 0 };
        if (announces && result.TreatAsWithdraw is null)
        {
            string? missing = result.Origin is null ? "ORIGIN" : result.AsPath is null ? "AS_PATH"
                : nlri.Count > 0 && result.NextHop is null ? "NEXT_HOP" : null;
            if (missing is not null)
                result = result with { TreatAsWithdraw = new BgpError(BgpErrorCode.Update, BgpUpdateSubcode.MissingWellKnownAttribute, [], $"missing {missing}") };
        }
        return BgpDecodeResult.Ok(new BgpUpdateMessage(withdrawn, result, nlri));
    }

    private sealed class AttributeParser(BgpDecodeOptions options)
    {
        private readonly HashSet<byte> _seen = [];
        private readonly List<BgpUnknownAttribute> _other = [];
        public BgpPathAttributes Result { get; private set; } = BgpPathAttributes.Empty;

        private void Withdraw(byte subcode, string reason)
        {
            Result = Result with { TreatAsWithdraw = Result.TreatAsWithdraw ?? new BgpError(BgpErrorCode.Update, subcode, [], reason) };
        }

        public BgpError? Parse(ReadOnlySpan<byte> bytes)
        {
            var r = new BgpReader(bytes);
            while (!r.AtEnd)
            {
                var start = r.Position;
                r.TryReadByte(out var flags);
                if (!r.TryReadByte(out var type)) { Withdraw(BgpUpdateSubcode.AttributeLengthError, "truncated attribute header"); break; }
                ushort length;
                bool lengthOk;
                if ((flags & BgpAttributeFlags.ExtendedLength) != 0) lengthOk = r.TryReadUInt16(out length);
                else { lengthOk = r.TryReadByte(out var l); length = l; }
                if (!lengthOk || !r.TryReadBytes(length, out var value))
                {
                    // RFC 7606 §4: an overrunning attribute; the NLRI are still located by the total length.
                    if (_seen.Contains(BgpAttributeType.MpReachNlri) || _seen.Contains(BgpAttributeType.MpUnreachNlri))
                        return new BgpError(BgpErrorCode.Update, BgpUpdateSubcode.MalformedAttributeList, [], $"attribute {type} overruns the attribute list");
                    Withdraw(BgpUpdateSubcode.AttributeLengthError, $"attribute {type} overruns the attribute list");
                    break;
                }
                if (!_seen.Add(type))
                {
                    if (type is BgpAttributeType.MpReachNlri or BgpAttributeType.MpUnreachNlri)
                        return new BgpError(BgpErrorCode.Update, BgpUpdateSubcode.MalformedAttributeList, [], $"attribute {type} repeated");
                    continue; // RFC 7606 §3.g: keep the first
                }
                var raw = bytes[start..r.Position].ToArray();
                var fatal = ParseOne(flags, type, value, raw);
                if (fatal is not null) return fatal;
            }
            if (_other.Count > 0) Result = Result with { Other = _other };
            return null;
        }

        private static bool FlagsMatch(byte flags, byte expected) =>
            (flags & (BgpAttributeFlags.Optional | BgpAttributeFlags.Transitive)) == expected;

        private BgpError? ParseOne(byte flags, byte type, ReadOnlySpan<byte> v, byte[] raw)
        {
            const byte WellKnown = BgpAttributeFlags.Transitive;
            const byte OptTrans = BgpAttributeFlags.Optional | BgpAttributeFlags.Transitive;
            const byte OptNonTrans = BgpAttributeFlags.Optional;
            switch (type)
            {
                case BgpAttributeType.Origin:
                    if (!FlagsMatch(flags, WellKnown)) Withdraw(BgpUpdateSubcode.AttributeFlagsError, "ORIGIN flags");
                    else if (v.Length != 1) Withdraw(BgpUpdateSubcode.AttributeLengthError, "ORIGIN length");
                    else if (v[0] > 2) Withdraw(BgpUpdateSubcode.InvalidOrigin, $"ORIGIN {v[0]}");
                    else Result = Result with { Origin = v[0] };
                    break;
                case BgpAttributeType.AsPath:
                    if (!FlagsMatch(flags, WellKnown)) Withdraw(BgpUpdateSubcode.AttributeFlagsError, "AS_PATH flags");
                    else if (BgpAsPathCodec.TryRead(v, options.FourOctetAs, out var path)) Result = Result with { AsPath = path };
                    else Withdraw(BgpUpdateSubcode.MalformedAsPath, "malformed AS_PATH");
                    break;
                case BgpAttributeType.NextHop:
                    if (!FlagsMatch(flags, WellKnown)) Withdraw(BgpUpdateSubcode.AttributeFlagsError, "NEXT_HOP flags");
                    else if (v.Length != 4) Withdraw(BgpUpdateSubcode.AttributeLengthError, "NEXT_HOP length");
                    else Result = Result with { NextHop = new IPAddress(v) };
                    break;
                case BgpAttributeType.Med:
                    if (!FlagsMatch(flags, OptNonTrans)) Withdraw(BgpUpdateSubcode.AttributeFlagsError, "MED flags");
                    else if (v.Length != 4) Withdraw(BgpUpdateSubcode.AttributeLengthError, "MED length");
                    else Result = Result with { Med = ReadUInt32(v) };
                    break;
                case BgpAttributeType.LocalPref:
                    if (!FlagsMatch(flags, WellKnown)) Withdraw(BgpUpdateSubcode.AttributeFlagsError, "LOCAL_PREF flags");
                    else if (v.Length != 4) Withdraw(BgpUpdateSubcode.AttributeLengthError, "LOCAL_PREF length");
                    else Result = Result with { LocalPref = ReadUInt32(v) };
                    break;
                case BgpAttributeType.AtomicAggregate:
                    // RFC 7606 §7.6: attribute discard.
                    if (v.Length == 0 && FlagsMatch(flags, WellKnown)) Result = Result with { AtomicAggregate = true };
                    break;
                case BgpAttributeType.Communities:
                    if (!FlagsMatch(flags, OptTrans)) Withdraw(BgpUpdateSubcode.AttributeFlagsError, "COMMUNITIES flags");
                    else if (v.Length == 0 || v.Length % 4 != 0) Withdraw(BgpUpdateSubcode.AttributeLengthError, "COMMUNITIES length");
                    else
                    {
                        var list = new uint[v.Length / 4];
                        for (var i = 0; i < list.Length; i++) list[i] = ReadUInt32(v[(4 * i)..]);
                        Result = Result with { Communities = list };
                    }
                    break;
                case BgpAttributeType.LargeCommunities:
                    if (!FlagsMatch(flags, OptTrans)) Withdraw(BgpUpdateSubcode.AttributeFlagsError, "LARGE_COMMUNITY flags");
                    else if (v.Length == 0 || v.Length % 12 != 0) Withdraw(BgpUpdateSubcode.AttributeLengthError, "LARGE_COMMUNITY length");
                    else
                    {
                        var list = new BgpLargeCommunity[v.Length / 12];
                        for (var i = 0; i < list.Length; i++)
                            list[i] = new(ReadUInt32(v[(12 * i)..]), ReadUInt32(v[(12 * i + 4)..]), ReadUInt32(v[(12 * i + 8)..]));
                        Result = Result with { LargeCommunities = list };
                    }
                    break;
                case BgpAttributeType.As4Path:
                    // RFC 6793 §6: a malformed AS4_PATH is discarded, as is one from a 4-byte peer.
                    if (!options.FourOctetAs && FlagsMatch(flags, OptTrans) && BgpAsPathCodec.TryRead(v, true, out var as4))
                        Result = Result with { As4Path = as4 };
                    break;
                case BgpAttributeType.MpReachNlri:
                    if (!FlagsMatch(flags, OptNonTrans)) return new(BgpErrorCode.Update, BgpUpdateSubcode.AttributeFlagsError, raw, "MP_REACH_NLRI flags");
                    return ParseMpReach(v, raw);
                case BgpAttributeType.MpUnreachNlri:
                    if (!FlagsMatch(flags, OptNonTrans)) return new(BgpErrorCode.Update, BgpUpdateSubcode.AttributeFlagsError, raw, "MP_UNREACH_NLRI flags");
                    return ParseMpUnreach(v, raw);
                default:
                    if ((flags & BgpAttributeFlags.Optional) == 0 && type is not (BgpAttributeType.Aggregator or BgpAttributeType.As4Aggregator))
                        return new(BgpErrorCode.Update, BgpUpdateSubcode.UnrecognizedWellKnownAttribute, raw, $"unrecognized well-known attribute {type}");
                    _other.Add(new BgpUnknownAttribute(flags, type, v.ToArray()));
                    break;
            }
            return null;
        }

        private BgpError? ParseMpReach(ReadOnlySpan<byte> v, byte[] raw)
        {
            var r = new BgpReader(v);
            if (!r.TryReadUInt16(out var afi) || !r.TryReadByte(out var safi) || !r.TryReadByte(out var nhLength)
                || !r.TryReadBytes(nhLength, out var nh) || !r.TryReadByte(out _))
                return new(BgpErrorCode.Update, BgpUpdateSubcode.OptionalAttributeError, raw, "MP_REACH_NLRI truncated");
            var family = FamilyOf(afi);
            if (family is null)
            {
                Result = Result with { MpReach = new BgpMpReach(afi, safi, [], []) };
                return null; // a family we never negotiated: nothing of it is used
            }
            var size = family == AddressFamily.InterNetworkV6 ? 16 : 4;
            if (nh.Length == 0 || nh.Length % size != 0 || nh.Length > 2 * size)
                return new(BgpErrorCode.Update, BgpUpdateSubcode.OptionalAttributeError, raw, $"MP_REACH_NLRI next hop length {nh.Length}");
            var hops = new List<IPAddress>();
            for (var i = 0; i < nh.Length; i += size) hops.Add(new IPAddress(nh.Slice(i, size)));
            var prefixes = new List<IpPrefix>();
            if (!BgpPrefixCodec.TryReadAll(r.Rest, family.Value, prefixes, out var error))
                return new(BgpErrorCode.Update, BgpUpdateSubcode.OptionalAttributeError, raw, "MP_REACH_NLRI: " + error);
            Result = Result with { MpReach = new BgpMpReach(afi, safi, hops, prefixes) };
            return null;
        }

        private BgpError? ParseMpUnreach(ReadOnlySpan<byte> v, byte[] raw)
        {
            var r = new BgpReader(v);
            if (!r.TryReadUInt16(out var afi) || !r.TryReadByte(out var safi))
                return new(BgpErrorCode.Update, BgpUpdateSubcode.OptionalAttributeError, raw, "MP_UNREACH_NLRI truncated");
            var family = FamilyOf(afi);
            var prefixes = new List<IpPrefix>();
            if (family is not null && !BgpPrefixCodec.TryReadAll(r.Rest, family.Value, prefixes, out var error))
                return new(BgpErrorCode.Update, BgpUpdateSubcode.OptionalAttributeError, raw, "MP_UNREACH_NLRI: " + error);
            Result = Result with { MpUnreach = new BgpMpUnreach(afi, safi, prefixes) };
            return null;
        }

        private static AddressFamily? FamilyOf(ushort afi) => afi switch
        {
            BgpAfi.IPv4 => AddressFamily.InterNetwork,
            BgpAfi.IPv6 => AddressFamily.InterNetworkV6,
            _ => null,
        };

        private static uint ReadUInt32(ReadOnlySpan<byte> v) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(v);
    }
}
