using System.Net;
using Fabric.Actors;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>An inclusive run of addresses of one family, from a CIDR or a "first-last" range.</summary>
public readonly record struct AddressRange(UInt128 First, UInt128 Last)
{
    public IpFamily Family => IpNumber.IsV4(First) ? IpFamily.IPv4 : IpFamily.IPv6;
    public UInt128 Count => Last - First == UInt128.MaxValue ? UInt128.MaxValue : Last - First + 1;
    public bool Contains(UInt128 value) => value >= First && value <= Last;
    public bool Overlaps(AddressRange other) => First <= other.Last && other.First <= Last;

    /// <summary>Parses what MetalLB accepts in spec.addresses: "192.0.2.0/24", "192.0.2.10-192.0.2.20" (spaces
    /// around the dash allowed), a single address as a /32 or /128.</summary>
    public static bool TryParse(string text, out AddressRange range, out string error)
    {
        range = default;
        error = "";
        text = text.Trim();
        var dash = text.IndexOf('-');
        if (dash >= 0)
        {
            var left = text[..dash].Trim();
            var right = text[(dash + 1)..].Trim();
            if (!TryAddress(left, out var first, out error) || !TryAddress(right, out var last, out error)) return false;
            if (IpNumber.FamilyOf(first) != IpNumber.FamilyOf(last))
            { error = $"range \"{text}\" mixes IPv4 and IPv6"; return false; }
            var (a, b) = (IpNumber.From(first), IpNumber.From(last));
            if (a > b) { error = $"range \"{text}\" is reversed: {left} comes after {right}"; return false; }
            range = new AddressRange(a, b);
            return true;
        }
        if (!text.Contains('/'))
        {
            error = $"\"{text}\" is neither a CIDR (192.0.2.0/24) nor a range (192.0.2.10-192.0.2.20)";
            return false;
        }
        if (!IpPrefix.TryParse(text, out var prefix, out error)) return false;
        if (prefix.Address.IsIPv4MappedToIPv6) { error = $"\"{text}\" is an IPv4-mapped IPv6 prefix; write the IPv4 form"; return false; }
        var network = IpNumber.From(prefix.NetworkAddress);
        if (network != IpNumber.From(prefix.Address))
        {
            error = $"\"{text}\" has host bits set; the network is {prefix.Network}";
            return false;
        }
        var hostBits = prefix.MaxLength - prefix.PrefixLength;
        var span = hostBits == 128 ? UInt128.MaxValue : ((UInt128)1 << hostBits) - 1;
        range = new AddressRange(network, network + span);
        return true;
    }

    private static bool TryAddress(string text, out IPAddress address, out string error)
    {
        error = "";
        if (IPAddress.TryParse(text, out address!) && !text.Contains('%') && !address.IsIPv4MappedToIPv6) return true;
        error = $"\"{text}\" is not an IP address";
        return false;
    }

    public override string ToString() => First == Last
        ? IpNumber.ToAddress(First).ToString()
        : $"{IpNumber.ToAddress(First)}-{IpNumber.ToAddress(Last)}";
}

public static class AddressRangeCidrs
{
    /// <summary>The longest prefix length among the CIDRs that exactly cover the range, which is what MetalLB
    /// compares with an advertisement's aggregationLength.</summary>
    public static int MostSpecificPrefixLength(this AddressRange range)
    {
        var bits = range.Family == IpFamily.IPv4 ? 32 : 128;
        var longest = 0;
        var next = range.First;
        while (true)
        {
            var alignment = next == 0 ? 128 : (int)UInt128.TrailingZeroCount(next);
            var remaining = range.Last - next; // count - 1, cannot overflow
            var fits = remaining == UInt128.MaxValue ? 128 : 127 - (int)UInt128.LeadingZeroCount(remaining + 1);
            var blockBits = Math.Min(Math.Min(alignment, fits), bits);
            longest = Math.Max(longest, bits - blockBits);
            if (blockBits == 128) break;
            var blockEnd = next + (((UInt128)1 << blockBits) - 1);
            if (blockEnd >= range.Last) break;
            next = blockEnd + 1;
        }
        return longest;
    }
}
