namespace Fabric.Actors.Netlink;

/// <summary>Generic netlink controller (linux/genetlink.h): families such as "wireguard" get their message type
/// (family id) at module load, so it is looked up by name before the first request.</summary>
internal static class GenericNetlinkCodec
{
    public const int GenlHeaderSize = 4;
    private const ushort ControllerId = 0x10; // GENL_ID_CTRL
    private const byte CmdGetFamily = 3;
    private const ushort AttrFamilyId = 1, AttrFamilyName = 2;

    public static byte[] GetFamily(uint seq, string name)
    {
        Span<byte> buffer = stackalloc byte[128];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(ControllerId, Nl.FRequest | Nl.FAck, seq);
        // Version 0, as iproute2's genl sends it; the controller ignores it.
        WriteHeader(ref w, CmdGetFamily, version: 0);
        w.String(AttrFamilyName, name);
        w.EndMessage();
        return w.ToArray();
    }

    public static void WriteHeader(ref NetlinkWriter w, byte command, byte version)
    {
        var h = w.Reserve(GenlHeaderSize);
        h[0] = command;
        h[1] = version;
    }

    /// <summary>The family id from a CTRL_CMD_NEWFAMILY reply.</summary>
    public static FamilyId? DecodeFamily(in NetlinkMessage message)
    {
        if (message.Type != ControllerId) return null;
        var attrs = message.Payload.AttributesAfter(GenlHeaderSize);
        while (attrs.TryRead(out var a))
            if (a.Type == AttrFamilyId) return new FamilyId(a.U16("CTRL_ATTR_FAMILY_ID"));
        throw new NetlinkFormatException("CTRL_CMD_NEWFAMILY without CTRL_ATTR_FAMILY_ID");
    }

    internal sealed record FamilyId(ushort Value);
}
