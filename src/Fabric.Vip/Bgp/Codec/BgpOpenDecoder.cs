namespace Fabric.Vip.Bgp.Codec;

/// <summary>OPEN body (RFC 4271 §4.2) with capabilities (RFC 5492) and extended parameters (RFC 9072).</summary>
public static class BgpOpenDecoder
{
    private static BgpDecodeResult Fail(byte subcode, string reason, params byte[] data) =>
        BgpDecodeResult.Fail(BgpError.Of(BgpErrorCode.Open, subcode, reason, data));

    public static BgpDecodeResult Decode(ReadOnlySpan<byte> body)
    {
        var r = new BgpReader(body);
        r.TryReadByte(out var version);
        r.TryReadUInt16(out var myAs);
        r.TryReadUInt16(out var holdTime);
        r.TryReadUInt32(out var bgpId);
        r.TryReadByte(out var paramsLength);
        if (version != BgpConstants.Version) return Fail(BgpOpenSubcode.UnsupportedVersion, $"version {version}", 0, BgpConstants.Version);
        if (holdTime is 1 or 2) return Fail(BgpOpenSubcode.UnacceptableHoldTime, $"hold time {holdTime}");
        if (bgpId == 0) return Fail(BgpOpenSubcode.BadBgpIdentifier, "BGP identifier 0");

        var extended = false;
        int paramsTotal = paramsLength;
        if (paramsLength == 255 && r.Remaining >= 3 && r.Rest[0] == 255)
        {
            // RFC 9072: type 255 marks a 2-byte parameters length and 2-byte parameter lengths.
            r.TryReadByte(out _);
            r.TryReadUInt16(out var total);
            paramsTotal = total;
            extended = true;
        }
        if (paramsTotal != r.Remaining)
            return BgpDecodeResult.Fail(BgpError.Of(BgpErrorCode.Open, 0, $"optional parameters length {paramsTotal} but {r.Remaining} bytes"));

        var builder = new CapabilityBuilder();
        var parameterCount = 0;
        while (!r.AtEnd)
        {
            ushort length;
            if (!r.TryReadByte(out var type)) break;
            var lengthOk = extended ? r.TryReadUInt16(out length) : TryReadByteAsUShort(ref r, out length);
            if (!lengthOk || !r.TryReadBytes(length, out var value))
                return BgpDecodeResult.Fail(BgpError.Of(BgpErrorCode.Open, 0, "optional parameter overruns the OPEN"));
            if (type != 2) return Fail(BgpOpenSubcode.UnsupportedOptionalParameter, $"optional parameter type {type}");
            parameterCount++;
            var error = builder.Add(value);
            if (error is not null) return BgpDecodeResult.Fail(error);
        }
        var caps = builder.Build(parameterCount > 1);
        return BgpDecodeResult.Ok(new BgpOpenMessage(version, myAs, holdTime, bgpId, caps));
    }

    private static bool TryReadByteAsUShort(ref BgpReader r, out ushort value)
    {
        var ok = r.TryReadByte(out var b);
        value = b;
        return ok;
    }

    private sealed class CapabilityBuilder
    {
        private readonly List<BgpAfiSafi> _families = [];
        private readonly List<byte> _unknown = [];
        private uint? _asn;
        private bool _routeRefresh, _enhancedRefresh;
        private BgpGracefulRestart? _gr;

        public BgpError? Add(ReadOnlySpan<byte> parameter)
        {
            var r = new BgpReader(parameter);
            while (!r.AtEnd)
            {
                if (!r.TryReadByte(out var code) || !r.TryReadByte(out var length) || !r.TryReadBytes(length, out var value))
                    return BgpError.Of(BgpErrorCode.Open, 0, "capability overruns its parameter");
                var ok = code switch
                {
                    BgpCapabilityCode.Multiprotocol => AddFamily(value),
                    BgpCapabilityCode.RouteRefresh => _routeRefresh = true,
                    BgpCapabilityCode.EnhancedRouteRefresh => _enhancedRefresh = true,
                    BgpCapabilityCode.FourOctetAs => AddAsn(value),
                    BgpCapabilityCode.GracefulRestart => AddGracefulRestart(value),
                    _ => AddUnknown(code),
                };
                if (!ok) return BgpError.Of(BgpErrorCode.Open, 0, $"capability {code} has a malformed value of {length} bytes");
            }
            return null;
        }

        private bool AddFamily(ReadOnlySpan<byte> v)
        {
            if (v.Length != 4) return false;
            var family = new BgpAfiSafi((ushort)(v[0] << 8 | v[1]), v[3]);
            if (!_families.Contains(family)) _families.Add(family);
            return true;
        }

        private bool AddAsn(ReadOnlySpan<byte> v)
        {
            if (v.Length != 4) return false;
            _asn = (uint)(v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]);
            return true;
        }

        private bool AddGracefulRestart(ReadOnlySpan<byte> v)
        {
            if (v.Length < 2 || (v.Length - 2) % 4 != 0) return false;
            var flags = (ushort)(v[0] << 8 | v[1]);
            var families = new List<BgpGracefulRestartFamily>();
            for (var i = 2; i < v.Length; i += 4)
                families.Add(new(new BgpAfiSafi((ushort)(v[i] << 8 | v[i + 1]), v[i + 2]), (v[i + 3] & 0x80) != 0));
            _gr = new BgpGracefulRestart((flags & 0x8000) != 0, (ushort)(flags & 0x0FFF), families);
            return true;
        }

        private bool AddUnknown(byte code)
        {
            _unknown.Add(code);
            return true;
        }

        public BgpCapabilities Build(bool oneEach) => new()
        {
            Multiprotocol = _families, FourOctetAs = _asn, RouteRefresh = _routeRefresh, EnhancedRouteRefresh = _enhancedRefresh,
            GracefulRestart = _gr, Unknown = _unknown, OneParameterEach = oneEach,
        };
    }
}
