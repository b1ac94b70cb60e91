using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>RTM_NEWADDR / RTM_DELADDR. Requests mirror `ip address replace|del ADDR/LEN dev DEV`: IFA_LOCAL and
/// IFA_ADDRESS both carry the address, no IFA_BROADCAST (ip adds one only when told `brd`).
/// Flags: the caller's <see cref="KernelAddress.Flags"/> go out unchanged (low byte in ifa_flags, IFA_FLAGS only when
/// a bit above 0xff is set, as iproute2 does). Fabric does not add nodad on its own: duplicate address detection is
/// what protects a shared segment, and a caller that wants an address usable at once sets 0x02 explicitly.</summary>
internal static class AddressCodec
{
    public static byte[] Replace(uint seq, KernelAddress address) =>
        Encode(seq, Rtm.NewAddr, Nl.FRequest | Nl.FAck | Nl.FReplace | Nl.FCreate, address, withProtocol: true);

    public static byte[] Delete(uint seq, KernelAddress address) =>
        Encode(seq, Rtm.DelAddr, Nl.FRequest | Nl.FAck, address, withProtocol: false);

    public static byte[] Dump(uint seq)
    {
        Span<byte> buffer = stackalloc byte[32];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.GetAddr, Nl.FRequest | Nl.FDump, seq);
        w.Reserve(Rtm.IfAddrSize);
        w.EndMessage();
        return w.ToArray();
    }

    private static byte[] Encode(uint seq, ushort type, ushort flags, KernelAddress a, bool withProtocol)
    {
        Span<byte> buffer = stackalloc byte[128];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(type, flags, seq);
        var h = w.Reserve(Rtm.IfAddrSize);
        h[0] = Family(a.Prefix.Address);
        h[1] = (byte)a.Prefix.PrefixLength;
        h[2] = (byte)a.Flags;
        h[3] = a.Scope;
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], a.LinkIndex);
        w.Address(Ifa.Local, a.Prefix.Address);
        w.Address(Ifa.Address, a.Prefix.Address);
        if (a.Flags > 0xff) w.U32(Ifa.Flags, a.Flags);
        if (withProtocol && a.Protocol != 0) w.U8(Ifa.Proto, a.Protocol);
        if (a.Label.Length > 0) w.String(Ifa.Label, a.Label);
        w.EndMessage();
        return w.ToArray();
    }

    /// <summary>Null for families Fabric does not model.</summary>
    public static KernelAddress? Decode(ReadOnlySpan<byte> payload)
    {
        var h = payload.FixedHeader(Rtm.IfAddrSize, "ifaddrmsg");
        if (h[0] != 2 && h[0] != 10) return null;
        IPAddress? local = null, address = null;
        uint flags = h[2];
        byte protocol = 0;
        var label = "";
        var attrs = payload.AttributesAfter(Rtm.IfAddrSize);
        while (attrs.TryRead(out var a))
        {
            switch (a.Type)
            {
                case Ifa.Local: local = a.Address("IFA_LOCAL"); break;
                case Ifa.Address: address = a.Address("IFA_ADDRESS"); break;
                case Ifa.Flags: flags = a.U32("IFA_FLAGS"); break;
                case Ifa.Proto: protocol = a.U8("IFA_PROTO"); break;
                case Ifa.Label: label = a.String(); break;
            }
        }
        // On point-to-point links IFA_ADDRESS is the peer; IFA_LOCAL is always our own address when present.
        var own = local ?? address ?? throw new NetlinkFormatException("RTM_NEWADDR without IFA_LOCAL or IFA_ADDRESS");
        var max = own.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (h[1] > max) throw new NetlinkFormatException($"ifaddrmsg prefix length {h[1]} exceeds {max}");
        return new KernelAddress
        {
            LinkIndex = BinaryPrimitives.ReadInt32LittleEndian(h[4..]),
            Prefix = new IpPrefix(own, h[1]),
            Scope = h[3],
            Flags = flags,
            Protocol = protocol,
            Label = label,
        };
    }

    internal static byte Family(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? (byte)10 : (byte)2;
}
