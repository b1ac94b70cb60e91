using System.Buffers.Binary;

namespace Fabric.Vip.Bgp.Codec;

/// <summary>Decodes one whole message (header included). Every length is checked against what contains it.</summary>
public static class BgpMessageDecoder
{
    /// <summary>Checks marker, length and type of a 19-byte header (RFC 4271 §6.1).</summary>
    public static BgpError? CheckHeader(ReadOnlySpan<byte> header, out int length, out BgpMessageType type)
    {
        length = 0;
        type = 0;
        if (header.Length < BgpConstants.HeaderLength)
            return BgpError.Of(BgpErrorCode.MessageHeader, BgpHeaderSubcode.BadMessageLength, "short header");
        for (var i = 0; i < 16; i++)
            if (header[i] != 0xFF)
                return BgpError.Of(BgpErrorCode.MessageHeader, BgpHeaderSubcode.ConnectionNotSynchronized, "marker is not all ones");
        length = BinaryPrimitives.ReadUInt16BigEndian(header[16..]);
        type = (BgpMessageType)header[18];
        var lengthField = header.Slice(16, 2).ToArray();
        if (type is < BgpMessageType.Open or > BgpMessageType.RouteRefresh)
            return BgpError.Of(BgpErrorCode.MessageHeader, BgpHeaderSubcode.BadMessageType, $"message type {(byte)type}", (byte)type);
        var (min, max) = type switch
        {
            BgpMessageType.Open => (29, BgpConstants.MaxMessageLength),
            BgpMessageType.Update => (23, BgpConstants.MaxMessageLength),
            BgpMessageType.Notification => (21, BgpConstants.MaxMessageLength),
            BgpMessageType.Keepalive => (19, 19),
            _ => (23, 23),
        };
        if (length < min || length > max)
            return BgpError.Of(BgpErrorCode.MessageHeader, BgpHeaderSubcode.BadMessageLength, $"length {length} for {type}", lengthField);
        return null;
    }

    public static BgpDecodeResult Decode(ReadOnlySpan<byte> message, BgpDecodeOptions options)
    {
        var headerError = CheckHeader(message, out var length, out var type);
        if (headerError is not null) return BgpDecodeResult.Fail(headerError);
        if (length != message.Length)
            return BgpDecodeResult.Fail(BgpError.Of(BgpErrorCode.MessageHeader, BgpHeaderSubcode.BadMessageLength,
                $"length field {length} but {message.Length} bytes", message.Slice(16, 2).ToArray()));
        var body = message[BgpConstants.HeaderLength..];
        return type switch
        {
            BgpMessageType.Open => BgpOpenDecoder.Decode(body),
            BgpMessageType.Update => BgpUpdateDecoder.Decode(body, options),
            BgpMessageType.Notification => BgpDecodeResult.Ok(new BgpNotificationMessage(body[0], body[1], body[2..].ToArray())),
            BgpMessageType.Keepalive => BgpDecodeResult.Ok(BgpKeepaliveMessage.Instance),
            _ => BgpDecodeResult.Ok(new BgpRouteRefreshMessage(BinaryPrimitives.ReadUInt16BigEndian(body), body[2], body[3])),
        };
    }
}
