namespace Fabric.Vip.Bgp.Codec;

/// <summary>What the session negotiated that changes the bytes of an UPDATE.</summary>
public sealed record BgpEncodeOptions(bool FourOctetAs)
{
    public static readonly BgpEncodeOptions FourOctet = new(true);
    public static readonly BgpEncodeOptions TwoOctet = new(false);
}
