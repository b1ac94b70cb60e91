using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace Fabric.Actors.Netlink;

/// <summary>One message as read from a datagram: header fields and the payload after the 16-byte header.</summary>
internal readonly ref struct NetlinkMessage(ushort type, ushort flags, uint seq, uint pid, ReadOnlySpan<byte> payload)
{
    public ushort Type { get; } = type;
    public ushort Flags { get; } = flags;
    public uint Seq { get; } = seq;
    public uint Pid { get; } = pid;
    public ReadOnlySpan<byte> Payload { get; } = payload;
}

/// <summary>Walks the messages packed in one received datagram, checking each nlmsg_len against what is there.</summary>
internal ref struct NetlinkMessageReader(ReadOnlySpan<byte> datagram)
{
    private ReadOnlySpan<byte> _rest = datagram;

    public bool TryRead(out NetlinkMessage message)
    {
        message = default;
        if (_rest.IsEmpty) return false;
        if (_rest.Length < Nl.HeaderSize)
            throw new NetlinkFormatException($"netlink header truncated: {_rest.Length} of {Nl.HeaderSize} bytes");
        var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (length < Nl.HeaderSize || length > _rest.Length)
            throw new NetlinkFormatException($"nlmsg_len {length} is outside the {_rest.Length} bytes received");
        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[12..]),
            _rest[Nl.HeaderSize..length]);
        _rest = _rest[Math.Min(Nl.Aligned(length), _rest.Length)..];
        return true;
    }
}

/// <summary>One attribute (type without the NESTED/BYTEORDER bits) and its value.</summary>
internal readonly ref struct NetlinkAttr(ushort type, ReadOnlySpan<byte> value)
{
    public ushort Type { get; } = type;
    public ReadOnlySpan<byte> Value { get; } = value;

    public byte U8(string what) => Value.Length >= 1 ? Value[0] : throw Short(what, 1);
    public ushort U16(string what) => Value.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(Value) : throw Short(what, 2);
    public uint U32(string what) => Value.Length >= 4 ? BinaryPrimitives.ReadUInt32LittleEndian(Value) : throw Short(what, 4);

    /// <summary>Up to the first NUL: the kernel always terminates, but captures and peers may not.</summary>
    public string String()
    {
        var end = Value.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? Value : Value[..end]);
    }

    public IPAddress Address(string what) => Value.Length switch
    {
        4 or 16 => new IPAddress(Value),
        _ => throw new NetlinkFormatException($"{what}: {Value.Length}-byte address, expected 4 or 16"),
    };

    public string HardwareAddress() => string.Join(':', Value.ToArray().Select(b => b.ToString("x2")));

    public NetlinkAttrReader Nested() => new(Value);

    private NetlinkFormatException Short(string what, int need) =>
        new($"{what}: attribute {Type} has {Value.Length} bytes, needs {need}");
}

/// <summary>Walks a run of rtattr/nlattr, checking each nla_len.</summary>
internal ref struct NetlinkAttrReader(ReadOnlySpan<byte> attributes)
{
    private ReadOnlySpan<byte> _rest = attributes;

    public bool TryRead(out NetlinkAttr attr)
    {
        attr = default;
        // Trailing bytes shorter than an attribute header are alignment padding.
        if (_rest.Length < Nl.AttrHeaderSize) return false;
        var length = BinaryPrimitives.ReadUInt16LittleEndian(_rest);
        if (length < Nl.AttrHeaderSize || length > _rest.Length)
            throw new NetlinkFormatException($"nla_len {length} is outside the {_rest.Length} attribute bytes left");
        attr = new NetlinkAttr((ushort)(BinaryPrimitives.ReadUInt16LittleEndian(_rest[2..]) & Nl.AttrTypeMask),
            _rest[Nl.AttrHeaderSize..length]);
        _rest = _rest[Math.Min(Nl.Aligned(length), _rest.Length)..];
        return true;
    }
}

internal static class PayloadExtensions
{
    /// <summary>The fixed family header at the start of a payload, or a clear error when the message is shorter.</summary>
    public static ReadOnlySpan<byte> FixedHeader(this ReadOnlySpan<byte> payload, int size, string name) =>
        payload.Length >= size
            ? payload[..size]
            : throw new NetlinkFormatException($"{name} truncated: {payload.Length} of {size} bytes");

    /// <summary>Attributes start after the fixed header, rounded up to the netlink alignment.</summary>
    public static NetlinkAttrReader AttributesAfter(this ReadOnlySpan<byte> payload, int size) =>
        new(payload[Math.Min(Nl.Aligned(size), payload.Length)..]);
}
