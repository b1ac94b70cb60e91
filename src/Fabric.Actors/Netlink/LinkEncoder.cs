using System.Buffers.Binary;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>Indexes the kernel speaks in, resolved from the names a <see cref="LinkRequest"/> uses.</summary>
internal readonly record struct LinkIndexes(int Index = 0, int? Master = null, int Parent = 0, int BondPrimary = 0);

/// <summary>RTM_NEWLINK / RTM_DELLINK requests, laid out attribute for attribute as iproute2 6.1 lays them out,
/// so captured `ip link` bytes are the test oracle.</summary>
internal static class LinkEncoder
{
    public static byte[] Create(uint seq, LinkRequest request, LinkIndexes indexes)
    {
        var kind = request.Kind ?? throw new ArgumentException($"link {request.Name}: creation needs a kind");
        Span<byte> buffer = stackalloc byte[1024];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.NewLink, Nl.FRequest | Nl.FAck | Nl.FExcl | Nl.FCreate, seq);
        WriteIfInfo(ref w, 0, request.Up);
        // `ip link add link PARENT ...` puts IFLA_LINK first because it parses it first.
        if (indexes.Parent != 0) w.U32(Ifla.Link, (uint)indexes.Parent);
        w.String(Ifla.IfName, request.Name);
        WriteChanges(ref w, request, indexes);
        WriteLinkInfo(ref w, kind, request, indexes, creating: true);
        w.EndMessage();
        return w.ToArray();
    }

    /// <summary>Changes an existing link. Like `ip link set`, this is RTM_NEWLINK without NLM_F_CREATE.</summary>
    public static byte[] Set(uint seq, LinkRequest request, LinkIndexes indexes)
    {
        Span<byte> buffer = stackalloc byte[1024];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.NewLink, Nl.FRequest | Nl.FAck, seq);
        WriteIfInfo(ref w, indexes.Index, request.Up);
        WriteChanges(ref w, request, indexes);
        if (request.Kind is { } kind && HasOptions(request)) WriteLinkInfo(ref w, kind, request, indexes, creating: false);
        w.EndMessage();
        return w.ToArray();
    }

    public static byte[] Delete(uint seq, int index)
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.DelLink, Nl.FRequest | Nl.FAck, seq);
        WriteIfInfo(ref w, index, null);
        w.EndMessage();
        return w.ToArray();
    }

    /// <summary>RTM_GETLINK for one link by name (index 0), as iproute2 resolves names.</summary>
    public static byte[] GetByName(uint seq, string name)
    {
        Span<byte> buffer = stackalloc byte[128];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.GetLink, Nl.FRequest, seq);
        WriteIfInfo(ref w, 0, null);
        w.String(Ifla.IfName, name);
        w.EndMessage();
        return w.ToArray();
    }

    public static byte[] GetByIndex(uint seq, int index)
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.GetLink, Nl.FRequest, seq);
        WriteIfInfo(ref w, index, null);
        w.EndMessage();
        return w.ToArray();
    }

    public static byte[] Dump(uint seq)
    {
        Span<byte> buffer = stackalloc byte[64];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.GetLink, Nl.FRequest | Nl.FDump, seq);
        WriteIfInfo(ref w, 0, null);
        w.EndMessage();
        return w.ToArray();
    }

    private static void WriteIfInfo(ref NetlinkWriter w, int index, bool? up)
    {
        var h = w.Reserve(Rtm.IfInfoSize);
        BinaryPrimitives.WriteInt32LittleEndian(h[4..], index);
        if (up is { } isUp)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(h[8..], isUp ? Ifla.IffUp : 0);
            BinaryPrimitives.WriteUInt32LittleEndian(h[12..], Ifla.IffUp);
        }
    }

    private static void WriteChanges(ref NetlinkWriter w, LinkRequest request, LinkIndexes indexes)
    {
        if (request.Mtu is { } mtu) w.U32(Ifla.Mtu, checked((uint)mtu));
        // Master 0 is how the kernel is told "nomaster".
        if (indexes.Master is { } master) w.U32(Ifla.Master, (uint)master);
    }

    private static bool HasOptions(LinkRequest r) => r.Bridge is not null || r.Vlan is not null || r.Bond is not null;

    private static void WriteLinkInfo(ref NetlinkWriter w, string kind, LinkRequest request, LinkIndexes indexes, bool creating)
    {
        var info = w.BeginNested(Ifla.LinkInfo);
        w.String(Ifla.InfoKind, kind, terminate: false);
        switch (kind)
        {
            case "bridge" when request.Bridge is { } bridge:
                var data = w.BeginNested(Ifla.InfoData);
                w.U32(Ifla.BrStpState, bridge.Stp ? 1u : 0u);
                // Kernels built without bridge VLAN filtering reject the attribute even when it says 0, so a new
                // bridge (off by default) only carries it when filtering is wanted; a change always says which.
                if (bridge.VlanFiltering || !creating) w.U8(Ifla.BrVlanFiltering, bridge.VlanFiltering ? (byte)1 : (byte)0);
                w.EndNested(data);
                break;
            case "vlan":
                var vlan = request.Vlan ?? throw new ArgumentException($"link {request.Name}: kind vlan needs VlanOptions");
                data = w.BeginNested(Ifla.InfoData);
                // iproute2 leaves the protocol out for plain 802.1Q, the kernel's default.
                if (vlan.Protocol != 0x8100) w.U16BigEndian(Ifla.VlanProtocol, vlan.Protocol);
                w.U16(Ifla.VlanId, vlan.Id);
                w.EndNested(data);
                break;
            case "bond" when request.Bond is { } bond:
                data = w.BeginNested(Ifla.InfoData);
                BondEncoder.Write(ref w, request.Name, bond, indexes.BondPrimary);
                w.EndNested(data);
                break;
        }
        w.EndNested(info);
    }
}
