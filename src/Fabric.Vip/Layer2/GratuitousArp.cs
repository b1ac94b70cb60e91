using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Fabric.Vip.Layer2;

/// <summary>Ethernet frames announcing that an IPv4 address now lives at a MAC (RFC 5227 §2.3 ARP Announcement,
/// plus the reply form some switches and older hosts only learn from). Sender and target IP are both the VIP.</summary>
public static class GratuitousArp
{
    public const ushort EtherTypeArp = 0x0806;
    // Ethernet minimum frame without FCS; AF_PACKET does not pad for us.
    public const int MinFrame = 60;

    public static byte[] Request(IPAddress ip, PhysicalAddress mac) => Build(ip, mac, operation: 1, targetMac: new byte[6]);

    public static byte[] Reply(IPAddress ip, PhysicalAddress mac) => Build(ip, mac, operation: 2, targetMac: Broadcast);

    private static readonly byte[] Broadcast = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    private static byte[] Build(IPAddress ip, PhysicalAddress mac, ushort operation, byte[] targetMac)
    {
        if (ip.AddressFamily != AddressFamily.InterNetwork) throw new ArgumentException("ARP is for IPv4 addresses", nameof(ip));
        var m = mac.GetAddressBytes();
        if (m.Length != 6) throw new ArgumentException("an Ethernet MAC has 6 bytes", nameof(mac));
        var v4 = ip.GetAddressBytes();
        var f = new byte[MinFrame];
        var s = f.AsSpan();
        Broadcast.CopyTo(s[0..6]);
        m.CopyTo(s[6..12]);
        BinaryPrimitives.WriteUInt16BigEndian(s[12..], EtherTypeArp);
        var arp = s[14..];
        BinaryPrimitives.WriteUInt16BigEndian(arp[0..], 1);        // hardware: Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], 0x0800);   // protocol: IPv4
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], operation);
        m.CopyTo(arp[8..14]);
        v4.CopyTo(arp[14..18]);
        targetMac.CopyTo(arp[18..24]);
        v4.CopyTo(arp[24..28]);
        return f;
    }
}
