using System.Buffers.Binary;

namespace Fabric.Vip.Bgp.Codec;

/// <summary>Big-endian writer over a caller-sized span; callers check <see cref="Remaining"/> before packing more.</summary>
public ref struct BgpWriter(Span<byte> buffer)
{
    private readonly Span<byte> _buffer = buffer;
    public int Position { get; set; }
    public readonly int Remaining => _buffer.Length - Position;
    public readonly Span<byte> Written => _buffer[..Position];

    public void WriteByte(byte value) => _buffer[Position++] = value;

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[Position..], value);
        Position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[Position..], value);
        Position += 4;
    }

    public void WriteBytes(scoped ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer[Position..]);
        Position += value.Length;
    }

    public readonly void PatchUInt16(int at, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(_buffer[at..], value);

    public readonly void PatchByte(int at, byte value) => _buffer[at] = value;
}
