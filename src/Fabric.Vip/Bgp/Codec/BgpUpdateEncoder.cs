namespace Fabric.Vip.Bgp.Codec;

/// <summary>Encodes one UPDATE as given; throws if it would not fit 4096 bytes (use <see cref="BgpUpdatePacker"/> for bulk).</summary>
public static class BgpUpdateEncoder
{
    public static byte[] Encode(BgpUpdateMessage update, BgpEncodeOptions options)
    {
        // Sized generously so an oversize UPDATE is detected by length, not by an out-of-range write.
        var buffer = new byte[64 * 1024];
        var w = new BgpWriter(buffer);
        BgpMessageEncoder.WriteHeader(ref w, BgpMessageType.Update);
        var withdrawnAt = w.Position;
        w.WriteUInt16(0);
        foreach (var p in update.Withdrawn) BgpPrefixCodec.Write(ref w, p);
        w.PatchUInt16(withdrawnAt, (ushort)(w.Position - withdrawnAt - 2));
        var attrsAt = w.Position;
        w.WriteUInt16(0);
        BgpAttributeWriter.Write(ref w, update.Attributes, options);
        w.PatchUInt16(attrsAt, (ushort)(w.Position - attrsAt - 2));
        foreach (var p in update.Nlri) BgpPrefixCodec.Write(ref w, p);
        if (w.Position > BgpConstants.MaxMessageLength)
            throw new InvalidOperationException($"UPDATE of {w.Position} bytes exceeds {BgpConstants.MaxMessageLength}");
        BgpMessageEncoder.FinishHeader(ref w, 0);
        return w.Written.ToArray();
    }
}
