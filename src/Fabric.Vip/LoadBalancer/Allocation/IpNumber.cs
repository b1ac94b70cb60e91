using System.Net;
using System.Net.Sockets;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>Addresses as numbers so ranges, sizes and "the next address" are arithmetic. IPv4 lives in the
/// ::ffff:0:0/96 block of the same 128-bit space, which keeps one key type for both families; pools are not
/// allowed to name IPv4-mapped IPv6 addresses, so the two cannot collide.</summary>
public static class IpNumber
{
    private static readonly UInt128 V4Base = (UInt128)0xFFFF << 32;

    public static UInt128 From(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        UInt128 value = 0;
        for (var i = 0; i < length; i++) value = (value << 8) | bytes[i];
        return length == 4 ? V4Base | value : value;
    }

    public static bool IsV4(UInt128 value) => value >> 32 == 0xFFFF;

    public static IPAddress ToAddress(UInt128 value)
    {
        if (IsV4(value))
        {
            var v4 = (uint)(value & 0xFFFF_FFFF);
            return new IPAddress([(byte)(v4 >> 24), (byte)(v4 >> 16), (byte)(v4 >> 8), (byte)v4]);
        }
        var bytes = new byte[16];
        for (var i = 15; i >= 0; i--) { bytes[i] = (byte)value; value >>= 8; }
        return new IPAddress(bytes);
    }

    /// <summary>MetalLB's avoidBuggyIPs: addresses ending in .0 or .255, which some old clients treat as broadcast.</summary>
    public static bool IsBuggyV4(UInt128 value) => IsV4(value) && ((byte)value == 0 || (byte)value == 255);

    public static bool IsFamily(IPAddress address, IpFamily family) =>
        (address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6) == (family == IpFamily.IPv6);

    public static IpFamily FamilyOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && !address.IsIPv4MappedToIPv6 ? IpFamily.IPv6 : IpFamily.IPv4;
}

public enum IpFamily { IPv4, IPv6 }
