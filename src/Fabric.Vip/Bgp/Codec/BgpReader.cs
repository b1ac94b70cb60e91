using System.Buffers.Binary;

namespace Fabric.Vip.Bgp.Codec;

/// <summary>Bounds-checked big-endian reader: every Try* fails instead of reading past the end.</summary>
public ref struct BgpReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    public int Position { get; private set; }
    public readonly int Remaining => _data.Length - Position;
    public readonly bool AtEnd => Position >= _data.Length;

    public bool TryReadByte(out byte value)
    {
        if (Remaining < 1) { value = 0; return false; }
        value = _data[Position++];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining < 2) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt16BigEndian(_data[Position..]);
        Position += 2;
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (Remaining < 4) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt32BigEndian(_data[Position..]);
        Position += 4;
        return true;
    }

    public bool TryReadBytes(int count, out ReadOnlySpan<byte> value)
    {
        if (count < 0 || Remaining < count) { value = default; return false; }
        value = _data.Slice(Position, count);
        Position += count;
        return true;
    }

    public readonly ReadOnlySpan<byte> Rest => _data[Position..];
}
