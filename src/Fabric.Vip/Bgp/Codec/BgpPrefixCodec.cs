using System.Net;
using System.Net.Sockets;
using Fabric.Actors;

namespace Fabric.Vip.Bgp.Codec;

/// <summary>NLRI prefixes: a length in bits then only the bytes that length needs (RFC 4271 §4.3).</summary>
public static class BgpPrefixCodec
{
    // Bulk loads run once, right after Established: compile optimised at once instead of via tier 0.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static int EncodedLength(IpPrefix prefix) => 1 + (prefix.PrefixLength + 7) / 8;

    // Bulk loads run once, right after Established: compile optimised at once instead of via tier 0.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Write(ref BgpWriter writer, IpPrefix prefix)
    {
        Span<byte> address = stackalloc byte[16];
        prefix.Address.TryWriteBytes(address, out var size);
        var bytes = (prefix.PrefixLength + 7) / 8;
        writer.WriteByte((byte)prefix.PrefixLength);
        // Host bits beyond the length are not sent: a peer would otherwise see a different prefix.
        var slice = address[..bytes];
        if (prefix.PrefixLength % 8 != 0) slice[bytes - 1] &= (byte)(0xFF << (8 - prefix.PrefixLength % 8));
        writer.WriteBytes(slice);
    }

    /// <summary>Reads prefixes until the span ends. False on a length beyond the family's maximum or an overrun.</summary>
    public static bool TryReadAll(ReadOnlySpan<byte> data, AddressFamily family, List<IpPrefix> into, out string error)
    {
        var max = family == AddressFamily.InterNetworkV6 ? 128 : 32;
        var reader = new BgpReader(data);
        Span<byte> address = stackalloc byte[max / 8];
        while (!reader.AtEnd)
        {
            reader.TryReadByte(out var length);
            if (length > max) { error = $"prefix length {length} exceeds {max}"; return false; }
            var bytes = (length + 7) / 8;
            if (!reader.TryReadBytes(bytes, out var value)) { error = $"prefix of length {length} overruns the field"; return false; }
            address.Clear();
            value.CopyTo(address);
            into.Add(new IpPrefix(new IPAddress(address), length));
        }
        error = "";
        return true;
    }
}
