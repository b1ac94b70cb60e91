using System.Net;
using Fabric.Actors;
using Fabric.Vip.Bgp.Codec;

namespace Fabric.Vip.Tests.Bgp;

/// <summary>Byte-for-byte: what real daemons sent decodes to what they meant, and Fabric encodes the same bytes.</summary>
public class CapturedMessageTests
{
    private static byte[] Hex(string s) => Convert.FromHexString(s);

    private static T Decode<T>(string hex, BgpDecodeOptions? options = null) where T : BgpMessage
    {
        var result = BgpMessageDecoder.Decode(Hex(hex), options ?? BgpDecodeOptions.FourOctet);
        Assert.Null(result.Error);
        return Assert.IsType<T>(result.Message);
    }

    private static readonly uint Community64512_100 = (64512u << 16) | 100;

    [Fact]
    public void Every_captured_message_decodes_without_error()
    {
        foreach (var hex in CapturedMessages.Bird.Concat(CapturedMessages.GoBgp).Concat(CapturedMessages.Frr))
            Assert.Null(BgpMessageDecoder.Decode(Hex(hex), BgpDecodeOptions.FourOctet).Error);
        foreach (var hex in CapturedMessages.BirdToTwoByte)
            Assert.Null(BgpMessageDecoder.Decode(Hex(hex), BgpDecodeOptions.TwoOctet).Error);
    }

    [Fact]
    public void Bird_open_capabilities()
    {
        var open = Decode<BgpOpenMessage>(CapturedMessages.Bird[0]);
        Assert.Equal(64512u, open.EffectiveAs);
        Assert.Equal(240, open.HoldTime);
        Assert.Equal(BitConverter.ToUInt32(IPAddress.Parse("203.0.113.1").GetAddressBytes().Reverse().ToArray()), open.BgpId);
        Assert.Equal([BgpAfiSafi.IPv4Unicast, BgpAfiSafi.IPv6Unicast], open.Capabilities.Multiprotocol);
        Assert.True(open.Capabilities.RouteRefresh);
        Assert.True(open.Capabilities.EnhancedRouteRefresh);
        Assert.Equal(120, open.Capabilities.GracefulRestart!.RestartTimeSeconds);
        Assert.Contains((byte)71, open.Capabilities.Unknown); // long-lived GR: ignored
    }

    [Fact]
    public void Frr_open_with_unknown_capabilities_in_separate_parameters()
    {
        var open = Decode<BgpOpenMessage>(CapturedMessages.Frr[0]);
        Assert.Equal(64512u, open.EffectiveAs);
        Assert.True(open.Capabilities.OneParameterEach);
        Assert.Contains(BgpAfiSafi.IPv6Unicast, open.Capabilities.Multiprotocol);
        Assert.Contains((byte)73, open.Capabilities.Unknown); // hostname
        Assert.Contains((byte)69, open.Capabilities.Unknown); // add-path
    }

    [Fact]
    public void Bird_ipv4_update_is_what_Fabric_packs_byte_for_byte()
    {
        var update = Decode<BgpUpdateMessage>(CapturedMessages.Bird[2]);
        Assert.Equal([IpPrefix.Parse("198.51.100.1/32")], update.Nlri);
        var a = update.Attributes;
        Assert.Equal((byte)0, a.Origin);
        Assert.Equal([64512u], a.FlatAsPath());
        Assert.Equal(IPAddress.Parse("203.0.113.1"), a.NextHop);
        Assert.Equal([Community64512_100], a.Communities);
        Assert.Equal([new BgpLargeCommunity(64512, 1, 2)], a.LargeCommunities);
        Assert.Null(a.TreatAsWithdraw);

        Assert.Equal(CapturedMessages.Bird[2], Convert.ToHexString(BgpUpdateEncoder.Encode(update, BgpEncodeOptions.FourOctet)).ToLowerInvariant());
        var packed = new List<byte[]>();
        BgpUpdatePacker.PackAnnouncements(BgpAfiSafi.IPv4Unicast, a, [], update.Nlri, BgpEncodeOptions.FourOctet, packed);
        Assert.Equal(CapturedMessages.Bird[2], Convert.ToHexString(Assert.Single(packed)).ToLowerInvariant());
    }

    [Fact]
    public void Bird_ipv6_update_with_link_local_next_hop()
    {
        var update = Decode<BgpUpdateMessage>(CapturedMessages.Bird[4]);
        var reach = update.Attributes.MpReach!;
        Assert.Equal(BgpAfi.IPv6, reach.Afi);
        Assert.Equal(IPAddress.Parse("2001:db8:ffff::1"), reach.NextHops[0]);
        Assert.True(reach.NextHops[1].IsIPv6LinkLocal);
        Assert.Equal([IpPrefix.Parse("2001:db8:100::1/128")], reach.Prefixes);
        Assert.Null(update.Attributes.NextHop);
    }

    [Fact]
    public void End_of_rib_markers_match_bird()
    {
        Assert.True(Decode<BgpUpdateMessage>(CapturedMessages.Bird[3]).IsEndOfRib(out var afi, out _));
        Assert.Equal(BgpAfi.IPv4, afi);
        Assert.True(Decode<BgpUpdateMessage>(CapturedMessages.Bird[5]).IsEndOfRib(out afi, out _));
        Assert.Equal(BgpAfi.IPv6, afi);
        Assert.Equal(Hex(CapturedMessages.Bird[3]), BgpMessageEncoder.EncodeEndOfRib(BgpAfiSafi.IPv4Unicast));
        Assert.Equal(Hex(CapturedMessages.Bird[5]), BgpMessageEncoder.EncodeEndOfRib(BgpAfiSafi.IPv6Unicast));
    }

    [Fact]
    public void Keepalive_and_cease_notification_match_bird()
    {
        Assert.Equal(Hex(CapturedMessages.Bird[1]), BgpMessageEncoder.EncodeKeepalive());
        var cease = Decode<BgpNotificationMessage>(CapturedMessages.Bird[6]);
        Assert.Equal((BgpErrorCode.Cease, BgpCeaseSubcode.AdministrativeShutdown), (cease.Code, cease.Subcode));
        Assert.Equal(Hex(CapturedMessages.Bird[6]), BgpMessageEncoder.EncodeNotification(cease.Code, cease.Subcode, []));
    }

    [Fact]
    public void GoBgp_updates_reencode_byte_for_byte()
    {
        foreach (var hex in CapturedMessages.GoBgp.Skip(2).Take(3))
        {
            var update = Decode<BgpUpdateMessage>(hex);
            Assert.Equal(hex, Convert.ToHexString(BgpUpdateEncoder.Encode(update, BgpEncodeOptions.FourOctet)).ToLowerInvariant());
        }
        var v4 = Decode<BgpUpdateMessage>(CapturedMessages.GoBgp[2]);
        Assert.Equal(50u, v4.Attributes.Med);
        var v6 = Decode<BgpUpdateMessage>(CapturedMessages.GoBgp[3]);
        Assert.Equal([IpPrefix.Parse("2001:db8:100::1/128")], v6.Attributes.MpReach!.Prefixes);
        Assert.Equal([new BgpLargeCommunity(64512, 1, 2)], v6.Attributes.LargeCommunities);
    }

    [Fact]
    public void GoBgp_withdraw_is_what_Fabric_packs()
    {
        var withdraw = Decode<BgpUpdateMessage>(CapturedMessages.GoBgp[4]);
        Assert.Equal([IpPrefix.Parse("198.51.100.1/32")], withdraw.Withdrawn);
        var packed = new List<byte[]>();
        BgpUpdatePacker.PackWithdrawals(BgpAfiSafi.IPv4Unicast, withdraw.Withdrawn, packed);
        Assert.Equal(Hex(CapturedMessages.GoBgp[4]), Assert.Single(packed));
    }

    [Fact]
    public void Frr_update_with_extended_length_as_path_and_mapped_next_hop()
    {
        var v4 = Decode<BgpUpdateMessage>(CapturedMessages.Frr[2]);
        Assert.Equal([64512u], v4.Attributes.FlatAsPath());
        Assert.Equal(50u, v4.Attributes.Med);
        var v6 = Decode<BgpUpdateMessage>(CapturedMessages.Frr[3]);
        Assert.Equal(IPAddress.Parse("::ffff:203.0.113.1"), v6.Attributes.MpReach!.NextHops[0]);
    }

    [Fact]
    public void Two_byte_peer_gets_as_trans_and_as4_path_like_bird_sends()
    {
        var update = Decode<BgpUpdateMessage>(CapturedMessages.BirdToTwoByte[2], BgpDecodeOptions.TwoOctet);
        Assert.Equal([(uint)BgpConstants.AsTrans], update.Attributes.AsPath!.SelectMany(s => s.Asns));
        Assert.Equal([4200000001u], update.Attributes.FlatAsPath());

        // Fabric given the real path and a 2-byte session produces the same bytes.
        var attrs = update.Attributes with
        {
            AsPath = [new BgpAsPathSegment(BgpAsPathSegmentType.AsSequence, [4200000001u])],
            As4Path = null,
        };
        var packed = new List<byte[]>();
        BgpUpdatePacker.PackAnnouncements(BgpAfiSafi.IPv4Unicast, attrs, [], update.Nlri, BgpEncodeOptions.TwoOctet, packed);
        Assert.Equal(CapturedMessages.BirdToTwoByte[2], Convert.ToHexString(Assert.Single(packed)).ToLowerInvariant());
    }
}
