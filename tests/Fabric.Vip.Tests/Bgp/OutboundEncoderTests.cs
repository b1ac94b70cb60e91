using System.Net;
using Fabric.Actors;
using Fabric.Vip.Bgp.Codec;
using Fabric.Vip.Bgp.Session;
using Fabric.Vip.Bgp.Speaker;

namespace Fabric.Vip.Tests.Bgp;

public class OutboundEncoderTests
{
    private static readonly HashSet<BgpAfiSafi> Both = [BgpAfiSafi.IPv4Unicast, BgpAfiSafi.IPv6Unicast];
    private static readonly BgpRouteAttributes Attrs = new([1u], [new(1, 2, 3)], LocalPref: 200, Med: 5);

    private static List<BgpUpdateMessage> Encode(bool ebgp, HashSet<BgpAfiSafi> families, IPAddress? v6NextHop, params string[] prefixes)
    {
        var encoder = new BgpOutboundEncoder(64513, ebgp, BgpEncodeOptions.FourOctet, families, IPAddress.Parse("203.0.113.2"), v6NextHop);
        var output = new List<byte[]>();
        encoder.Announce(prefixes.Select(p => new BgpRoute(IpPrefix.Parse(p), Attrs)), output);
        return output.Select(m => (BgpUpdateMessage)BgpMessageDecoder.Decode(m, BgpDecodeOptions.FourOctet).Message!).ToList();
    }

    [Fact]
    public void Local_pref_goes_only_to_ibgp_and_our_as_only_to_ebgp()
    {
        var ebgp = Assert.Single(Encode(true, Both, null, "198.51.100.1/32")).Attributes;
        Assert.Null(ebgp.LocalPref);
        Assert.Equal([64513u], ebgp.FlatAsPath());
        Assert.Equal(BgpAsPathSegmentType.AsSequence, ebgp.AsPath![0].Type);
        Assert.Equal(5u, ebgp.Med);

        var ibgp = Assert.Single(Encode(false, Both, null, "198.51.100.1/32")).Attributes;
        Assert.Equal(200u, ibgp.LocalPref);
        Assert.Empty(ibgp.FlatAsPath());
    }

    [Fact]
    public void Ipv6_needs_a_next_hop_and_a_negotiated_family()
    {
        Assert.Empty(Encode(true, Both, null, "2001:db8::1/128"));
        Assert.Empty(Encode(true, [BgpAfiSafi.IPv4Unicast], IPAddress.Parse("2001:db8:ffff::2"), "2001:db8::1/128"));
        var u = Assert.Single(Encode(true, Both, IPAddress.Parse("2001:db8:ffff::2"), "2001:db8::1/128"));
        Assert.Equal([IPAddress.Parse("2001:db8:ffff::2")], u.Attributes.MpReach!.NextHops);
    }
}
