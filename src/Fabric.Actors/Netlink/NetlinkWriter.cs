using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Fabric.Actors.Netlink;

/// <summary>Writes one netlink message into a caller's buffer: header, fixed family struct, then attributes.
/// Lengths of the message and of nested attributes are patched in when they are closed, as libmnl does.</summary>
internal ref struct NetlinkWriter
{
    private readonly Span<byte> _buffer;
    private int _length;
    private int _messageStart;

    public NetlinkWriter(Span<byte> buffer) { _buffer = buffer; }

    public readonly int Length => _length;
    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    public void BeginMessage(ushort type, ushort flags, uint seq)
    {
        _messageStart = _length;
        var h = Reserve(Nl.HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(h[8..], seq);
        // nlmsg_pid stays 0: the kernel fills in the sender's port.
    }

    public void EndMessage() =>
        BinaryPrimitives.WriteUInt32LittleEndian(_buffer[_messageStart..], (uint)(_length - _messageStart));

    /// <summary>Room for a fixed header (ifinfomsg, rtmsg...), zeroed, to be filled by the caller.</summary>
    public Span<byte> Reserve(int size)
    {
        var aligned = Nl.Aligned(size);
        if (_length + aligned > _buffer.Length)
            throw new InvalidOperationException($"netlink message exceeds its {_buffer.Length}-byte buffer");
        var span = _buffer.Slice(_length, aligned);
        span.Clear();
        _length += aligned;
        return span[..size];
    }

    public void Attr(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var a = Reserve(Nl.AttrHeaderSize + value.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(a, (ushort)(Nl.AttrHeaderSize + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(a[2..], type);
        value.CopyTo(a[Nl.AttrHeaderSize..]);
    }

    public void U8(ushort type, byte value) => Attr(type, [value]);

    public void U16(ushort type, ushort value)
    {
        Span<byte> v = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(v, value);
        Attr(type, v);
    }

    /// <summary>Network byte order, as IFLA_VLAN_PROTOCOL and ports want.</summary>
    public void U16BigEndian(ushort type, ushort value)
    {
        Span<byte> v = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(v, value);
        Attr(type, v);
    }

    public void U32(ushort type, uint value)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(v, value);
        Attr(type, v);
    }

    /// <summary>NUL-terminated, as the kernel's NLA_STRING/NLA_NUL_STRING policies and iproute2 expect.</summary>
    public void String(ushort type, string value) => String(type, value, terminate: true);

    /// <summary>iproute2 sends IFLA_INFO_KIND without the NUL (NLA_STRING accepts both); matching it keeps the
    /// captured bytes comparable.</summary>
    public void String(ushort type, string value, bool terminate)
    {
        var count = Encoding.UTF8.GetByteCount(value);
        Span<byte> v = count < 256 ? stackalloc byte[count + 1] : new byte[count + 1];
        Encoding.UTF8.GetBytes(value, v);
        v[count] = 0;
        Attr(type, terminate ? v : v[..count]);
    }

    public void Address(ushort type, IPAddress address)
    {
        Span<byte> v = stackalloc byte[16];
        address.TryWriteBytes(v, out var written);
        Attr(type, v[..written]);
    }

    /// <summary>Opens a nested attribute; pass the result to <see cref="EndNested"/>. iproute2 does not set
    /// NLA_F_NESTED on rtnetlink nests, so neither do we unless asked (generic netlink families want it).</summary>
    public int BeginNested(ushort type, bool flagNested = false)
    {
        var start = _length;
        var a = Reserve(Nl.AttrHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(a[2..], (ushort)(flagNested ? type | Nl.AttrNested : type));
        return start;
    }

    public void EndNested(int start) =>
        BinaryPrimitives.WriteUInt16LittleEndian(_buffer[start..], (ushort)(_length - start));

    public readonly byte[] ToArray() => _buffer[.._length].ToArray();
}
