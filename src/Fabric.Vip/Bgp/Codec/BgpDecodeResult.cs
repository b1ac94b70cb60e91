namespace Fabric.Vip.Bgp.Codec;

/// <summary>Either a message or the NOTIFICATION to answer it with; decoding never throws.</summary>
public readonly record struct BgpDecodeResult(BgpMessage? Message, BgpError? Error)
{
    public static BgpDecodeResult Ok(BgpMessage message) => new(message, null);
    public static BgpDecodeResult Fail(BgpError error) => new(null, error);
    public bool IsError => Error is not null;
}

/// <summary>What the session negotiated that changes how an UPDATE is read.</summary>
public sealed record BgpDecodeOptions(bool FourOctetAs)
{
    public static readonly BgpDecodeOptions FourOctet = new(true);
    public static readonly BgpDecodeOptions TwoOctet = new(false);
}
