using System.Net;
using System.Net.Sockets;

namespace Fabric.Actors;

/// <summary>An address with its prefix length, as written in configs: 192.0.2.11/24 keeps its host bits.</summary>
public readonly record struct IpPrefix(IPAddress Address, int PrefixLength)
{
    public AddressFamily Family => Address.AddressFamily;
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;
    public int MaxLength => IsIPv6 ? 128 : 32;

    public static bool TryParse(string? text, out IpPrefix prefix, out string error)
    {
        prefix = default;
        error = "";
        if (string.IsNullOrWhiteSpace(text)) { error = "empty prefix"; return false; }
        var slash = text.IndexOf('/');
        if (slash < 0) { error = $"\"{text}\" is not a CIDR (missing /prefix-length)"; return false; }
        if (!IPAddress.TryParse(text.AsSpan(0, slash), out var address) || address.ToString().Contains('%'))
        { error = $"\"{text[..slash]}\" is not an IP address"; return false; }
        var max = address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (!int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var length) || length > max)
        { error = $"prefix length \"{text[(slash + 1)..]}\" must be 0..{max}"; return false; }
        prefix = new IpPrefix(address, length);
        return true;
    }

    public static IpPrefix Parse(string text) =>
        TryParse(text, out var p, out var error) ? p : throw new FormatException(error);

    /// <summary>A bare address as a host prefix (/32 or /128).</summary>
    public static IpPrefix Host(IPAddress address) =>
        new(address, address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32);

    /// <summary>The network address: host bits cleared.</summary>
    public IPAddress NetworkAddress
    {
        get
        {
            var bytes = Address.GetAddressBytes();
            for (var bit = PrefixLength; bit < bytes.Length * 8; bit++)
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            return new IPAddress(bytes);
        }
    }

    public IpPrefix Network => new(NetworkAddress, PrefixLength);

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Family) return false;
        Span<byte> mine = stackalloc byte[16];
        Span<byte> theirs = stackalloc byte[16];
        Address.TryWriteBytes(mine, out var length);
        address.TryWriteBytes(theirs, out _);
        var whole = PrefixLength / 8;
        if (!mine[..whole].SequenceEqual(theirs[..whole])) return false;
        var rest = PrefixLength % 8;
        if (rest == 0 || whole >= length) return true;
        var mask = (byte)(0xFF << (8 - rest));
        return (mine[whole] & mask) == (theirs[whole] & mask);
    }

    public override string ToString() => $"{Address}/{PrefixLength}";
}
