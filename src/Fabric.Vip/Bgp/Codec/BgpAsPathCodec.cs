namespace Fabric.Vip.Bgp.Codec;

public static class BgpAsPathCodec
{
    /// <summary>RFC 7606 §7.2: a segment of unknown type, zero count, or a length that does not add up is malformed.</summary>
    public static bool TryRead(ReadOnlySpan<byte> value, bool fourOctet, out IReadOnlyList<BgpAsPathSegment> path)
    {
        var segments = new List<BgpAsPathSegment>();
        path = segments;
        var r = new BgpReader(value);
        var size = fourOctet ? 4 : 2;
        while (!r.AtEnd)
        {
            if (!r.TryReadByte(out var type) || !r.TryReadByte(out var count)) return false;
            if (type is < 1 or > 4 || count == 0) return false;
            if (!r.TryReadBytes(count * size, out var asnBytes)) return false;
            var asns = new uint[count];
            for (var i = 0; i < count; i++)
                asns[i] = fourOctet
                    ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(asnBytes[(4 * i)..])
                    : System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(asnBytes[(2 * i)..]);
            segments.Add(new BgpAsPathSegment((BgpAsPathSegmentType)type, asns));
        }
        return true;
    }
}
