using Fabric.Vip.Bgp.Codec;

namespace Fabric.Vip.Tests.Bgp;

/// <summary>Malformed input yields the NOTIFICATION RFC 4271 prescribes, or treat-as-withdraw where RFC 7606 applies.</summary>
public class DecoderErrorTests
{
    private static byte[] Message(byte type, string bodyHex, int? lengthOverride = null)
    {
        var body = Convert.FromHexString(bodyHex);
        var m = new byte[19 + body.Length];
        Array.Fill(m, (byte)0xFF, 0, 16);
        var length = lengthOverride ?? m.Length;
        m[16] = (byte)(length >> 8); m[17] = (byte)length; m[18] = type;
        body.CopyTo(m, 19);
        return m;
    }

    private static BgpError Error(byte[] message, BgpDecodeOptions? o = null)
    {
        var r = BgpMessageDecoder.Decode(message, o ?? BgpDecodeOptions.FourOctet);
        return Assert.IsType<BgpError>(r.Error);
    }

    private static BgpPathAttributes Update(string bodyHex)
    {
        var r = BgpMessageDecoder.Decode(Message(2, bodyHex), BgpDecodeOptions.FourOctet);
        Assert.Null(r.Error);
        return Assert.IsType<BgpUpdateMessage>(r.Message).Attributes;
    }

    private const string ValidAttrs = "40010100" + "400206020100" + "00fc00" + "400304cb007101"; // ORIGIN, AS_PATH, NEXT_HOP

    [Fact]
    public void Bad_marker_is_connection_not_synchronized()
    {
        var m = Message(4, "");
        m[3] = 0;
        Assert.Equal((1, 1), ((int)Error(m).Code, (int)Error(m).Subcode));
    }

    [Fact]
    public void Bad_lengths_carry_the_length_field()
    {
        var e = Error(Message(4, "00"));
        Assert.Equal((1, 2), ((int)e.Code, (int)e.Subcode));
        Assert.Equal(new byte[] { 0, 20 }, e.Data);
        Assert.Equal((1, 2), ((int)Error(Message(2, "0000", lengthOverride: 5000)).Code, (int)Error(Message(2, "0000", lengthOverride: 5000)).Subcode));
        Assert.Equal(2, Error(Message(1, "04")).Subcode);
        Assert.Equal(2, Error(Message(5, "000100")).Subcode);
    }

    [Fact]
    public void Unknown_type_is_bad_message_type_with_the_type()
    {
        var e = Error(Message(9, ""));
        Assert.Equal((1, 3), ((int)e.Code, (int)e.Subcode));
        Assert.Equal(new byte[] { 9 }, e.Data);
    }

    [Fact]
    public void Open_errors()
    {
        var v3 = Error(Message(1, "03fc0000b4cb00710100"));
        Assert.Equal((2, 1), ((int)v3.Code, (int)v3.Subcode));
        Assert.Equal(new byte[] { 0, 4 }, v3.Data);
        Assert.Equal(6, Error(Message(1, "04fc000001cb00710100")).Subcode);   // hold time 1
        Assert.Equal(3, Error(Message(1, "04fc0000b40000000000")).Subcode);   // BGP id 0
        Assert.Equal(4, Error(Message(1, "04fc0000b4cb00710103010100")).Subcode); // parameter type 1
        Assert.Equal((2, 0), ((int)Error(Message(1, "04fc0000b4cb00710104020201")).Code, (int)Error(Message(1, "04fc0000b4cb00710104020201")).Subcode)); // capability overrun
    }

    [Fact]
    public void Update_length_overruns_reset_with_malformed_attribute_list()
    {
        Assert.Equal((3, 1), Pair(Error(Message(2, "00050000"))));
        Assert.Equal((3, 1), Pair(Error(Message(2, "00000009400101"))));
    }

    [Fact]
    public void Bad_nlri_is_invalid_network_field()
    {
        Assert.Equal((3, 10), Pair(Error(Message(2, "0000" + "0014" + ValidAttrs + "21c6336401ff"))));
        Assert.Equal((3, 10), Pair(Error(Message(2, "0000" + "0014" + ValidAttrs + "20c633"))));
    }

    [Fact]
    public void Unrecognized_well_known_attribute_resets()
    {
        Assert.Equal((3, 2), Pair(Error(Message(2, "0000" + "0004" + "40630100"))));
    }

    [Fact]
    public void Repeated_mp_reach_resets()
    {
        var mp = "800e09" + "000101" + "04cb007101" + "00";
        Assert.Equal((3, 1), Pair(Error(Message(2, "0000" + "0018" + mp + mp))));
    }

    [Theory]
    [InlineData("40010103" + "400206020100" + "00fc00" + "400304cb007101", 6)] // ORIGIN 3
    [InlineData("40010100" + "400304cb007101", 3)]                              // no AS_PATH
    [InlineData("40010100" + "400206020000" + "00fc00" + "400304cb007101", 11)] // zero-length segment... count 0
    [InlineData(ValidAttrs + "c00803000064", 5)]                                // COMMUNITIES length 3
    [InlineData(ValidAttrs + "c0200800000001000000", 5)]                        // LARGE_COMMUNITY length 8
    [InlineData(ValidAttrs + "80040300000a", 5)]                                // MED length 3
    [InlineData("c0010100" + "400206020100" + "00fc00" + "400304cb007101", 4)]  // ORIGIN flagged optional
    public void Attribute_errors_treat_as_withdraw(string attrsHex, byte subcode)
    {
        var attrLength = attrsHex.Length / 2;
        var a = Update("0000" + attrLength.ToString("x4") + attrsHex + "20c6336401");
        Assert.NotNull(a.TreatAsWithdraw);
        Assert.Equal(subcode, a.TreatAsWithdraw!.Subcode);
    }

    [Fact]
    public void Malformed_as4_path_is_discarded_not_withdrawn()
    {
        var a = Update("0000" + (ValidAttrs.Length / 2 + 5).ToString("x4") + ValidAttrs + "c011020201" + "20c6336401");
        Assert.Null(a.TreatAsWithdraw);
        Assert.Null(a.As4Path);
    }

    private static (int, int) Pair(BgpError e) => (e.Code, e.Subcode);
}
