using System.Buffers.Binary;

namespace Fabric.Bench.Bgp;

/// <summary>An MRT TABLE_DUMP_V2 file (RFC 6396) of /32 routes, for `gobgp mrt inject global` (its fast bulk load).</summary>
internal static class MrtFile
{
    public static void Write(string path, int count)
    {
        using var f = new BinaryWriter(File.Create(path));
        // PEER_INDEX_TABLE: collector id, empty view name, one IPv4 peer with a 4-byte AS.
        var peerTable = new byte[4 + 2 + 2 + 1 + 4 + 4 + 4];
        var p = peerTable.AsSpan();
        new byte[] { 203, 0, 113, 2 }.CopyTo(p);
        BinaryPrimitives.WriteUInt16BigEndian(p[6..], 1);
        p[8] = 0x02;
        new byte[] { 203, 0, 113, 2 }.CopyTo(p[9..]);
        new byte[] { 203, 0, 113, 2 }.CopyTo(p[13..]);
        BinaryPrimitives.WriteUInt32BigEndian(p[17..], 64513);
        Record(f, 1, peerTable);

        // ORIGIN IGP, empty AS_PATH, NEXT_HOP: gobgpd prepends its AS and sets itself as next hop toward eBGP.
        byte[] attrs = [0x40, 1, 1, 0, 0x40, 2, 0, 0x40, 3, 4, 203, 0, 113, 2];
        var rib = new byte[4 + 1 + 4 + 2 + 2 + 4 + 2 + attrs.Length];
        // gobgp 3.10's inject exits before its last batch is sent: pad with copies of the first route, whose loss
        // changes nothing.
        for (var i = 0; i < count + 10_000; i++)
        {
            var r = rib.AsSpan();
            BinaryPrimitives.WriteUInt32BigEndian(r, (uint)i);
            r[4] = 32;
            BinaryPrimitives.WriteUInt32BigEndian(r[5..], 0x0A000000u + (uint)(i < count ? i : 0));
            BinaryPrimitives.WriteUInt16BigEndian(r[9..], 1);
            BinaryPrimitives.WriteUInt16BigEndian(r[11..], 0);
            BinaryPrimitives.WriteUInt32BigEndian(r[13..], 0);
            BinaryPrimitives.WriteUInt16BigEndian(r[17..], (ushort)attrs.Length);
            attrs.CopyTo(r[19..]);
            Record(f, 2, rib);
        }
    }

    private static void Record(BinaryWriter f, ushort subtype, byte[] body)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        BinaryPrimitives.WriteUInt16BigEndian(header[4..], 13);
        BinaryPrimitives.WriteUInt16BigEndian(header[6..], subtype);
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], (uint)body.Length);
        f.Write(header);
        f.Write(body);
    }
}
