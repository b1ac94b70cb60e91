using System.Buffers.Binary;
using System.Text;

namespace Fabric.Vip.Election.Transport;

/// <summary>The lease messages as UDP datagrams: a fixed layout per message type, decoded field by field, so
/// nothing but these six records can ever be built from a datagram. Layout: "FL", version, type, the target
/// elector's path below the actor system, then the record's fields in declaration order (strings as u16 length +
/// UTF-8, 0xFFFF for null; integers big-endian; booleans one byte).</summary>
public static class LeaseWireCodec
{
    public const int MaxDatagram = 1200;
    private const byte Version = 1;
    private const ushort NullString = 0xFFFF;

    private enum Kind : byte { Request = 1, Granted = 2, Rejected = 3, Release = 4, EpochQuery = 5, EpochReport = 6 }

    /// <summary>The datagram for <paramref name="message"/> addressed to the elector at <paramref name="path"/>,
    /// or null when the message is not a lease message or does not fit.</summary>
    public static byte[]? Encode(string path, object message)
    {
        var w = new Writer();
        w.Byte((byte)'F'); w.Byte((byte)'L'); w.Byte(Version);
        switch (message)
        {
            case LeaseRequest r:
                w.Byte((byte)Kind.Request); w.String(path);
                w.String(r.VipId); w.String(r.Candidate); w.Int(r.Priority); w.Long(r.Epoch); w.Long(r.Seq);
                w.Long(r.KnownHighest); w.Bool(r.Owning); w.Long(r.Nonce);
                break;
            case LeaseGranted g:
                w.Byte((byte)Kind.Granted); w.String(path);
                w.String(g.VipId); w.String(g.Grantor); w.String(g.Candidate); w.Long(g.Epoch); w.Long(g.Seq); w.Long(g.Nonce);
                break;
            case LeaseRejected j:
                w.Byte((byte)Kind.Rejected); w.String(path);
                w.String(j.VipId); w.String(j.Grantor); w.String(j.Candidate); w.Long(j.Epoch); w.Long(j.Seq); w.Long(j.Nonce);
                w.String(j.Holder); w.Int(j.HolderPriority); w.Bool(j.HolderOwning); w.Long(j.HighestGranted);
                break;
            case LeaseRelease l:
                w.Byte((byte)Kind.Release); w.String(path);
                w.String(l.VipId); w.String(l.Candidate); w.Long(l.Epoch); w.Long(l.Nonce);
                break;
            case EpochQuery q:
                w.Byte((byte)Kind.EpochQuery); w.String(path);
                w.String(q.VipId); w.String(q.From);
                break;
            case EpochReport e:
                w.Byte((byte)Kind.EpochReport); w.String(path);
                w.String(e.VipId); w.String(e.From); w.Long(e.HighestGranted); w.Bool(e.Recovered);
                break;
            default:
                return null;
        }
        return w.Overflow ? null : w.ToArray();
    }

    /// <summary>The path and message in a datagram; false for anything malformed, truncated, of another version or
    /// with bytes left over (a datagram is either exactly one valid message or ignored).</summary>
    public static bool TryDecode(ReadOnlySpan<byte> datagram, out string path, out object message)
    {
        path = "";
        message = null!;
        var r = new Reader(datagram);
        if (r.Byte() != 'F' || r.Byte() != 'L' || r.Byte() != Version) return false;
        var kind = (Kind)r.Byte();
        path = r.String() ?? "";
        message = kind switch
        {
            Kind.Request => new LeaseRequest(r.Text(), r.Text(), r.Int(), r.Long(), r.Long(), r.Long(), r.Bool(), r.Long()),
            Kind.Granted => new LeaseGranted(r.Text(), r.Text(), r.Text(), r.Long(), r.Long(), r.Long()),
            Kind.Rejected => new LeaseRejected(r.Text(), r.Text(), r.Text(), r.Long(), r.Long(), r.Long(), r.String(), r.Int(), r.Bool(), r.Long()),
            Kind.Release => new LeaseRelease(r.Text(), r.Text(), r.Long(), r.Long()),
            Kind.EpochQuery => new EpochQuery(r.Text(), r.Text()),
            Kind.EpochReport => new EpochReport(r.Text(), r.Text(), r.Long(), r.Bool()),
            _ => null!,
        };
        return message is not null && r.Ok && r.AtEnd && path.Length > 0;
    }

    private sealed class Writer
    {
        private readonly byte[] _buffer = new byte[MaxDatagram];
        private int _length;
        public bool Overflow { get; private set; }

        public void Byte(byte b) { if (Room(1)) _buffer[_length++] = b; }
        public void Bool(bool b) => Byte(b ? (byte)1 : (byte)0);
        public void Int(int v) { if (Room(4)) { BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), v); _length += 4; } }
        public void Long(long v) { if (Room(8)) { BinaryPrimitives.WriteInt64BigEndian(_buffer.AsSpan(_length), v); _length += 8; } }

        public void String(string? s)
        {
            if (s is null) { U16(NullString); return; }
            var count = Encoding.UTF8.GetByteCount(s);
            if (count >= NullString) { Overflow = true; return; }
            U16((ushort)count);
            if (Room(count)) _length += Encoding.UTF8.GetBytes(s, _buffer.AsSpan(_length));
        }

        public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

        private void U16(ushort v) { if (Room(2)) { BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(_length), v); _length += 2; } }

        private bool Room(int n)
        {
            if (_length + n <= _buffer.Length) return true;
            Overflow = true;
            return false;
        }
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _at;
        public bool Ok { get; private set; } = true;
        public readonly bool AtEnd => _at == _data.Length;

        public byte Byte() => Take(1) ? _data[_at - 1] : (byte)0;
        public bool Bool() => Byte() switch { 0 => false, 1 => true, _ => Fail() };
        public int Int() => Take(4) ? BinaryPrimitives.ReadInt32BigEndian(_data[(_at - 4)..]) : 0;
        public long Long() => Take(8) ? BinaryPrimitives.ReadInt64BigEndian(_data[(_at - 8)..]) : 0;
        public string Text() => String() ?? FailText();

        public string? String()
        {
            if (!Take(2)) return null;
            var length = BinaryPrimitives.ReadUInt16BigEndian(_data[(_at - 2)..]);
            if (length == NullString) return null;
            return Take(length) ? Encoding.UTF8.GetString(_data.Slice(_at - length, length)) : null;
        }

        private bool Take(int n)
        {
            if (!Ok || _at + n > _data.Length) { Ok = false; return false; }
            _at += n;
            return true;
        }

        private bool Fail() { Ok = false; return false; }
        private string FailText() { Ok = false; return ""; }
    }
}
