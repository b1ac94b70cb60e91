using System.Net;
using Fabric.Actors;
using Fabric.Vip.Bgp.Codec;

namespace Fabric.Vip.Tests.Bgp;

public class PackerTests
{
    private static readonly BgpPathAttributes Attrs = new()
    {
        Origin = 0,
        AsPath = [new BgpAsPathSegment(BgpAsPathSegmentType.AsSequence, [64513u])],
        NextHop = IPAddress.Parse("203.0.113.2"),
        Communities = [(64513u << 16) | 100],
        LargeCommunities = [new BgpLargeCommunity(64513, 1, 2)],
    };

    private static IpPrefix V4(int i) => new(new IPAddress(new byte[] { 10, (byte)(i >> 16), (byte)(i >> 8), (byte)i }), 32);

    [Fact]
    public void Hundred_thousand_ipv4_prefixes_fill_4096_byte_updates()
    {
        var prefixes = Enumerable.Range(0, 100_000).Select(V4).ToList();
        var output = new List<byte[]>();
        BgpUpdatePacker.PackAnnouncements(BgpAfiSafi.IPv4Unicast, Attrs, [], prefixes, BgpEncodeOptions.FourOctet, output);
        Assert.All(output, m => Assert.InRange(m.Length, 19, 4096));
        Assert.All(output.SkipLast(1), m => Assert.True(m.Length > 4090));
        var decoded = output.Select(m => (BgpUpdateMessage)BgpMessageDecoder.Decode(m, BgpDecodeOptions.FourOctet).Message!).ToList();
        Assert.Equal(prefixes, decoded.SelectMany(u => u.Nlri));
        Assert.All(decoded, u => Assert.Equal([(64513u << 16) | 100], u.Attributes.Communities));
        Assert.True(output.Count <= 125, $"{output.Count} UPDATEs");
    }

    [Fact]
    public void Ipv6_prefixes_pack_into_mp_reach_and_withdraw_into_mp_unreach()
    {
        var prefixes = Enumerable.Range(0, 5000)
            .Select(i => new IpPrefix(IPAddress.Parse($"2001:db8:1::{i:x}"), 128)).ToList();
        var nh = IPAddress.Parse("2001:db8:ffff::2");
        var output = new List<byte[]>();
        BgpUpdatePacker.PackAnnouncements(BgpAfiSafi.IPv6Unicast, Attrs, [nh], prefixes, BgpEncodeOptions.FourOctet, output);
        Assert.All(output, m => Assert.True(m.Length <= 4096));
        var decoded = output.Select(m => (BgpUpdateMessage)BgpMessageDecoder.Decode(m, BgpDecodeOptions.FourOctet).Message!).ToList();
        Assert.Equal(prefixes, decoded.SelectMany(u => u.Attributes.MpReach!.Prefixes));
        Assert.All(decoded, u => { Assert.Null(u.Attributes.NextHop); Assert.Equal([nh], u.Attributes.MpReach!.NextHops); Assert.Null(u.Attributes.TreatAsWithdraw); });

        output.Clear();
        BgpUpdatePacker.PackWithdrawals(BgpAfiSafi.IPv6Unicast, prefixes, output);
        var withdrawn = output.Select(m => (BgpUpdateMessage)BgpMessageDecoder.Decode(m, BgpDecodeOptions.FourOctet).Message!);
        Assert.Equal(prefixes, withdrawn.SelectMany(u => u.Attributes.MpUnreach!.Prefixes));
    }

    [Fact]
    public void Ipv4_withdrawals_pack()
    {
        var prefixes = Enumerable.Range(0, 3000).Select(V4).ToList();
        var output = new List<byte[]>();
        BgpUpdatePacker.PackWithdrawals(BgpAfiSafi.IPv4Unicast, prefixes, output);
        Assert.All(output, m => Assert.True(m.Length <= 4096));
        Assert.Equal(prefixes, output.SelectMany(m => ((BgpUpdateMessage)BgpMessageDecoder.Decode(m, BgpDecodeOptions.FourOctet).Message!).Withdrawn));
    }

    [Fact]
    public void Random_updates_round_trip()
    {
        var rng = new Random(4760);
        for (var i = 0; i < 2000; i++)
        {
            var attrs = new BgpPathAttributes
            {
                Origin = (byte)rng.Next(3),
                AsPath = [new BgpAsPathSegment(BgpAsPathSegmentType.AsSequence, Enumerable.Range(0, rng.Next(1, 5)).Select(_ => (uint)rng.Next()).ToArray())],
                NextHop = new IPAddress(rng.Next()),
                Med = rng.Next(2) == 0 ? null : (uint)rng.Next(),
                LocalPref = rng.Next(2) == 0 ? null : (uint)rng.Next(),
                Communities = Enumerable.Range(0, rng.Next(0, 70)).Select(_ => (uint)rng.Next()).ToArray(),
                LargeCommunities = Enumerable.Range(0, rng.Next(0, 30)).Select(_ => new BgpLargeCommunity((uint)rng.Next(), (uint)rng.Next(), (uint)rng.Next())).ToArray(),
            };
            var nlri = Enumerable.Range(0, rng.Next(1, 50)).Select(_ => new IpPrefix(new IpPrefix(new IPAddress(rng.Next()), rng.Next(33)).NetworkAddress, 0)).Select(p => new IpPrefix(p.Address, rng.Next(0, 33))).Select(p => p.Network).ToList();
            var wide = rng.Next(2) == 0;
            var update = new BgpUpdateMessage([], attrs, nlri);
            var bytes = BgpUpdateEncoder.Encode(update, new BgpEncodeOptions(wide));
            var back = (BgpUpdateMessage)BgpMessageDecoder.Decode(bytes, new BgpDecodeOptions(wide)).Message!;
            Assert.Equal(nlri, back.Nlri);
            Assert.Equal(attrs.AsPath.SelectMany(s => s.Asns), back.Attributes.FlatAsPath());
            Assert.Equal(attrs.Communities, back.Attributes.Communities);
            Assert.Equal(attrs.LargeCommunities, back.Attributes.LargeCommunities);
            Assert.Equal((attrs.Med, attrs.LocalPref, attrs.NextHop, attrs.Origin), (back.Attributes.Med, back.Attributes.LocalPref, back.Attributes.NextHop, back.Attributes.Origin));
            Assert.Equal(bytes, BgpUpdateEncoder.Encode(back, new BgpEncodeOptions(wide)));
        }
    }

    [Fact]
    public void Open_round_trips()
    {
        var open = new BgpOpenMessage(4, BgpConstants.AsTrans, 90, 0xCB007102, new BgpCapabilities
        {
            Multiprotocol = [BgpAfiSafi.IPv4Unicast, BgpAfiSafi.IPv6Unicast],
            FourOctetAs = 4200000001, RouteRefresh = true, EnhancedRouteRefresh = true,
            GracefulRestart = new BgpGracefulRestart(true, 120, [new(BgpAfiSafi.IPv4Unicast, true), new(BgpAfiSafi.IPv6Unicast, true)]),
        });
        foreach (var oneEach in new[] { false, true })
        {
            var o = open with { Capabilities = open.Capabilities with { OneParameterEach = oneEach } };
            var back = (BgpOpenMessage)BgpMessageDecoder.Decode(BgpMessageEncoder.EncodeOpen(o), BgpDecodeOptions.FourOctet).Message!;
            Assert.Equal(4200000001u, back.EffectiveAs);
            Assert.Equal(o.Capabilities.Multiprotocol, back.Capabilities.Multiprotocol);
            Assert.Equal(o.Capabilities.GracefulRestart!.Families, back.Capabilities.GracefulRestart!.Families);
            Assert.True(back.Capabilities.GracefulRestart.Restarting);
            Assert.True(back.Capabilities.EnhancedRouteRefresh && back.Capabilities.RouteRefresh);
            Assert.Equal(oneEach, back.Capabilities.OneParameterEach);
            Assert.Equal(BgpMessageEncoder.EncodeOpen(o), BgpMessageEncoder.EncodeOpen(back));
        }
    }
}
