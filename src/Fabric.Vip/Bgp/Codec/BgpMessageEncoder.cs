namespace Fabric.Vip.Bgp.Codec;

/// <summary>Encodes the small messages: OPEN, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH, End-of-RIB.</summary>
public static class BgpMessageEncoder
{
    public static void WriteHeader(ref BgpWriter writer, BgpMessageType type)
    {
        for (var i = 0; i < 16; i++) writer.WriteByte(0xFF);
        writer.WriteUInt16(0); // patched by FinishHeader
        writer.WriteByte((byte)type);
    }

    public static void FinishHeader(ref BgpWriter writer, int start) => writer.PatchUInt16(start + 16, (ushort)(writer.Position - start));

    public static byte[] Encode(BgpMessage message, BgpEncodeOptions? options = null) => message switch
    {
        BgpOpenMessage open => EncodeOpen(open),
        BgpKeepaliveMessage => EncodeKeepalive(),
        BgpNotificationMessage n => EncodeNotification(n.Code, n.Subcode, n.Data),
        BgpRouteRefreshMessage r => EncodeRouteRefresh(r),
        BgpUpdateMessage u => BgpUpdateEncoder.Encode(u, options ?? BgpEncodeOptions.FourOctet),
        _ => throw new ArgumentException($"unknown message {message.GetType().Name}"),
    };

    public static byte[] EncodeKeepalive()
    {
        var bytes = new byte[BgpConstants.HeaderLength];
        var w = new BgpWriter(bytes);
        WriteHeader(ref w, BgpMessageType.Keepalive);
        FinishHeader(ref w, 0);
        return bytes;
    }

    public static byte[] EncodeNotification(byte code, byte subcode, ReadOnlySpan<byte> data)
    {
        var length = Math.Min(BgpConstants.HeaderLength + 2 + data.Length, BgpConstants.MaxMessageLength);
        var bytes = new byte[length];
        var w = new BgpWriter(bytes);
        WriteHeader(ref w, BgpMessageType.Notification);
        w.WriteByte(code);
        w.WriteByte(subcode);
        w.WriteBytes(data[..(length - BgpConstants.HeaderLength - 2)]);
        FinishHeader(ref w, 0);
        return bytes;
    }

    public static byte[] EncodeNotification(BgpError error) => EncodeNotification(error.Code, error.Subcode, error.Data);

    public static byte[] EncodeRouteRefresh(BgpRouteRefreshMessage message)
    {
        var bytes = new byte[BgpConstants.HeaderLength + 4];
        var w = new BgpWriter(bytes);
        WriteHeader(ref w, BgpMessageType.RouteRefresh);
        w.WriteUInt16(message.Afi);
        w.WriteByte(message.Subtype);
        w.WriteByte(message.Safi);
        FinishHeader(ref w, 0);
        return bytes;
    }

    /// <summary>RFC 4724 §2: empty UPDATE for IPv4 unicast, an empty MP_UNREACH_NLRI for the others.</summary>
    public static byte[] EncodeEndOfRib(BgpAfiSafi family)
    {
        if (family == BgpAfiSafi.IPv4Unicast)
            return BgpUpdateEncoder.Encode(new BgpUpdateMessage([], BgpPathAttributes.Empty, []), BgpEncodeOptions.FourOctet);
        var attrs = new BgpPathAttributes { MpUnreach = new BgpMpUnreach(family.Afi, family.Safi, []) };
        return BgpUpdateEncoder.Encode(new BgpUpdateMessage([], attrs, []), BgpEncodeOptions.FourOctet);
    }

    public static byte[] EncodeOpen(BgpOpenMessage open)
    {
        Span<byte> buffer = stackalloc byte[BgpConstants.MaxMessageLength];
        var w = new BgpWriter(buffer);
        WriteHeader(ref w, BgpMessageType.Open);
        w.WriteByte(open.Version);
        w.WriteUInt16(open.MyAs);
        w.WriteUInt16(open.HoldTime);
        w.WriteUInt32(open.BgpId);
        var paramsLengthAt = w.Position;
        w.WriteByte(0);
        var caps = open.Capabilities;
        if (caps.OneParameterEach)
        {
            foreach (var capability in CapabilityTlvs(caps))
            {
                w.WriteByte(2);
                w.WriteByte((byte)capability.Length);
                w.WriteBytes(capability);
            }
        }
        else
        {
            var all = CapabilityTlvs(caps).SelectMany(c => c).ToArray();
            if (all.Length > 0)
            {
                w.WriteByte(2);
                w.WriteByte((byte)all.Length);
                w.WriteBytes(all);
            }
        }
        w.PatchByte(paramsLengthAt, (byte)(w.Position - paramsLengthAt - 1));
        FinishHeader(ref w, 0);
        return w.Written.ToArray();
    }

    private static IEnumerable<byte[]> CapabilityTlvs(BgpCapabilities caps)
    {
        foreach (var family in caps.Multiprotocol)
            yield return [BgpCapabilityCode.Multiprotocol, 4, (byte)(family.Afi >> 8), (byte)family.Afi, 0, family.Safi];
        if (caps.RouteRefresh) yield return [BgpCapabilityCode.RouteRefresh, 0];
        if (caps.EnhancedRouteRefresh) yield return [BgpCapabilityCode.EnhancedRouteRefresh, 0];
        if (caps.GracefulRestart is { } gr)
        {
            var value = new byte[2 + 2 + 4 * gr.Families.Count];
            var flagsAndTime = (ushort)((gr.Restarting ? 0x8000 : 0) | (gr.RestartTimeSeconds & 0x0FFF));
            value[0] = BgpCapabilityCode.GracefulRestart;
            value[1] = (byte)(value.Length - 2);
            value[2] = (byte)(flagsAndTime >> 8);
            value[3] = (byte)flagsAndTime;
            for (var i = 0; i < gr.Families.Count; i++)
            {
                var f = gr.Families[i];
                value[4 + 4 * i] = (byte)(f.Family.Afi >> 8);
                value[5 + 4 * i] = (byte)f.Family.Afi;
                value[6 + 4 * i] = f.Family.Safi;
                value[7 + 4 * i] = f.ForwardingPreserved ? (byte)0x80 : (byte)0;
            }
            yield return value;
        }
        if (caps.FourOctetAs is { } asn)
            yield return [BgpCapabilityCode.FourOctetAs, 4, (byte)(asn >> 24), (byte)(asn >> 16), (byte)(asn >> 8), (byte)asn];
    }
}
