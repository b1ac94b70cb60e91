using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Fabric.Vip.Layer2;

/// <summary>An unsolicited Neighbour Advertisement (RFC 4861 §4.4, §7.2.6) to all-nodes ff02::1: Override set so
/// receivers replace the cached link-layer address, Solicited clear, Target Link-Layer Address option, hop limit
/// 255 (receivers drop NDP with any other), ICMPv6 checksum over the IPv6 pseudo-header.</summary>
public static class UnsolicitedNeighborAdvertisement
{
    public const ushort EtherTypeIpv6 = 0x86DD;
    private const int IcmpLength = 24 + 8;
    private static readonly IPAddress AllNodes = IPAddress.Parse("ff02::1");

    public static byte[] Build(IPAddress ip, PhysicalAddress mac)
    {
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) throw new ArgumentException("NDP is for IPv6 addresses", nameof(ip));
        var m = mac.GetAddressBytes();
        if (m.Length != 6) throw new ArgumentException("an Ethernet MAC has 6 bytes", nameof(mac));
        var src = ip.GetAddressBytes();
        var dst = AllNodes.GetAddressBytes();
        var f = new byte[14 + 40 + IcmpLength];
        var s = f.AsSpan();
        // 33:33 + low 32 bits of the multicast group (RFC 2464 §7).
        s[0] = 0x33; s[1] = 0x33; dst.AsSpan(12, 4).CopyTo(s[2..6]);
        m.CopyTo(s[6..12]);
        BinaryPrimitives.WriteUInt16BigEndian(s[12..], EtherTypeIpv6);
        var ip6 = s[14..54];
        ip6[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip6[4..], IcmpLength);
        ip6[6] = 58;    // next header: ICMPv6
        ip6[7] = 255;   // hop limit
        src.CopyTo(ip6[8..24]);
        dst.CopyTo(ip6[24..40]);
        var icmp = s[54..];
        icmp[0] = 136;  // Neighbor Advertisement
        icmp[1] = 0;
        icmp[4] = 0x20; // R=0 S=0 O=1
        src.CopyTo(icmp[8..24]);
        icmp[24] = 2;   // option: Target Link-Layer Address
        icmp[25] = 1;   // length in units of 8 octets
        m.CopyTo(icmp[26..32]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(src, dst, icmp));
        return f;
    }

    /// <summary>RFC 4443 §2.3: one's complement sum over source, destination, upper-layer length, next header and
    /// the ICMPv6 message with its checksum field zero.</summary>
    internal static ushort Checksum(ReadOnlySpan<byte> src, ReadOnlySpan<byte> dst, ReadOnlySpan<byte> icmp)
    {
        uint sum = 0;
        Add(ref sum, src);
        Add(ref sum, dst);
        sum += (uint)(icmp.Length >> 16) + (uint)(icmp.Length & 0xffff);
        sum += 58;
        Span<byte> copy = stackalloc byte[icmp.Length];
        icmp.CopyTo(copy);
        copy[2] = 0; copy[3] = 0;
        Add(ref sum, copy);
        while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    private static void Add(ref uint sum, ReadOnlySpan<byte> data)
    {
        for (var i = 0; i + 1 < data.Length; i += 2) sum += (uint)(data[i] << 8 | data[i + 1]);
        if (data.Length % 2 == 1) sum += (uint)(data[^1] << 8);
    }
}
