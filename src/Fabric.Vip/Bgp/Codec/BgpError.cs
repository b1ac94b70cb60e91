namespace Fabric.Vip.Bgp.Codec;

/// <summary>What a decoder found wrong: the NOTIFICATION to send, with its data field.</summary>
public sealed record BgpError(byte Code, byte Subcode, byte[] Data, string Reason)
{
    public static BgpError Of(byte code, byte subcode, string reason, params byte[] data) => new(code, subcode, data, reason);

    public override string ToString() => $"{BgpNotificationMessage.Describe(Code, Subcode)}: {Reason}";
}
