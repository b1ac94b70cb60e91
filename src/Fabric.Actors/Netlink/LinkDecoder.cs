using System.Buffers.Binary;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>RTM_NEWLINK / RTM_DELLINK payloads into <see cref="KernelLink"/>.</summary>
internal static class LinkDecoder
{
    private static readonly string[] OperStates = ["unknown", "notpresent", "down", "lowerlayerdown", "testing", "dormant", "up"];

    public static KernelLink Decode(ReadOnlySpan<byte> payload)
    {
        var h = payload.FixedHeader(Rtm.IfInfoSize, "ifinfomsg");
        var index = BinaryPrimitives.ReadInt32LittleEndian(h[4..]);
        string name = "", kind = "", hw = "", perm = "", brd = "", alias = "", oper = "unknown";
        int mtu = 0, master = 0, parent = 0, vlanId = 0;
        var attrs = payload.AttributesAfter(Rtm.IfInfoSize);
        while (attrs.TryRead(out var a))
        {
            switch (a.Type)
            {
                case Ifla.IfName: name = a.String(); break;
                case Ifla.Address: hw = a.HardwareAddress(); break;
                case Ifla.PermAddress: perm = a.HardwareAddress(); break;
                case Ifla.Broadcast: brd = a.HardwareAddress(); break;
                case Ifla.Mtu: mtu = (int)a.U32("IFLA_MTU"); break;
                case Ifla.Master: master = (int)a.U32("IFLA_MASTER"); break;
                case Ifla.Link: parent = (int)a.U32("IFLA_LINK"); break;
                case Ifla.IfAlias: alias = a.String(); break;
                case Ifla.OperState:
                    var state = a.U8("IFLA_OPERSTATE");
                    oper = state < OperStates.Length ? OperStates[state] : $"state {state}";
                    break;
                case Ifla.LinkInfo: (kind, vlanId) = DecodeLinkInfo(a.Nested()); break;
            }
        }
        if (name.Length == 0) throw new NetlinkFormatException($"link {index}: RTM_NEWLINK without IFLA_IFNAME");
        return new KernelLink
        {
            Index = index,
            Name = name,
            Kind = kind,
            Type = BinaryPrimitives.ReadUInt16LittleEndian(h[2..]),
            Flags = BinaryPrimitives.ReadUInt32LittleEndian(h[8..]),
            HardwareAddr = hw,
            PermanentAddr = perm,
            BroadcastAddr = brd,
            Mtu = mtu,
            OperState = oper,
            MasterIndex = master,
            ParentIndex = parent,
            VlanId = vlanId,
            Alias = alias,
        };
    }

    private static (string Kind, int VlanId) DecodeLinkInfo(NetlinkAttrReader info)
    {
        var kind = "";
        var vlanId = 0;
        while (info.TryRead(out var a))
        {
            if (a.Type == Ifla.InfoKind) kind = a.String();
            // INFO_DATA follows INFO_KIND in every kernel dump, so the kind is known here.
            else if (a.Type == Ifla.InfoData && kind == "vlan")
            {
                var data = a.Nested();
                while (data.TryRead(out var d))
                    if (d.Type == Ifla.VlanId) vlanId = d.U16("IFLA_VLAN_ID");
            }
        }
        return (kind, vlanId);
    }
}
