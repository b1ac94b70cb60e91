using System.Net;
using System.Net.NetworkInformation;
using Fabric.Vip.Layer2;

namespace Fabric.Vip.Tests.Layer2;

public sealed class CodecTests
{
    private static readonly PhysicalAddress Mac = PhysicalAddress.Parse("02-00-5E-10-20-30");

    [Fact]
    public void Gratuitous_arp_request_names_the_vip_as_sender_and_target()
    {
        var f = GratuitousArp.Request(IPAddress.Parse("192.0.2.10"), Mac);
        Assert.Equal(60, f.Length);
        Assert.Equal(Convert.FromHexString("FFFFFFFFFFFF" + "02005E102030" + "0806" + "0001" + "0800" + "06" + "04" + "0001" +
            "02005E102030" + "C000020A" + "000000000000" + "C000020A"), f[..42]);
        Assert.All(f[42..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Gratuitous_arp_reply_is_broadcast_with_operation_two()
    {
        var f = GratuitousArp.Reply(IPAddress.Parse("192.0.2.10"), Mac);
        Assert.Equal(Convert.FromHexString("0002"), f[20..22]);
        Assert.Equal(Convert.FromHexString("FFFFFFFFFFFF"), f[32..38]);
    }

    [Fact]
    public void Neighbor_advertisement_has_override_tlla_hop_limit_255_and_a_valid_checksum()
    {
        var ip = IPAddress.Parse("2001:db8::10");
        var f = UnsolicitedNeighborAdvertisement.Build(ip, Mac);
        Assert.Equal(86, f.Length);
        Assert.Equal(Convert.FromHexString("333300000001" + "02005E102030" + "86DD"), f[..14]);
        Assert.Equal(0x60, f[14]);
        Assert.Equal(32, f[18] << 8 | f[19]);
        Assert.Equal(58, f[20]);
        Assert.Equal(255, f[21]);
        Assert.Equal(ip.GetAddressBytes(), f[22..38]);
        Assert.Equal(IPAddress.Parse("ff02::1").GetAddressBytes(), f[38..54]);
        Assert.Equal(136, f[54]);
        Assert.Equal(0, f[55]);
        Assert.Equal(0x20, f[58]);
        Assert.Equal(ip.GetAddressBytes(), f[62..78]);
        Assert.Equal(Convert.FromHexString("0201" + "02005E102030"), f[78..86]);
        // The one's complement sum over pseudo-header and message, checksum included, is all ones.
        Assert.Equal(0, VerifySum(f));
    }

    private static int VerifySum(byte[] f)
    {
        uint sum = 0;
        void Add(ReadOnlySpan<byte> d) { for (var i = 0; i < d.Length; i += 2) sum += (uint)(d[i] << 8 | d[i + 1]); }
        Add(f.AsSpan(22, 32));
        sum += 32 + 58;
        Add(f.AsSpan(54, 32));
        while (sum >> 16 != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int)(~sum & 0xffff);
    }
}
