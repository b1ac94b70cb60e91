using System.Net;
using System.Net.Sockets;
using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;

namespace Fabric.Actors.Tests.Netlink;

/// <summary>Decoders fed with real kernel datagrams (see <see cref="KernelReplies"/>) and with broken ones.</summary>
public class DecodingTests
{
    private static List<(ushort Type, byte[] Payload, ushort Flags)> Messages(string hex)
    {
        var result = new List<(ushort, byte[], ushort)>();
        var reader = new NetlinkMessageReader(Convert.FromHexString(hex));
        while (reader.TryRead(out var m)) result.Add((m.Type, m.Payload.ToArray(), m.Flags));
        return result;
    }

    [Fact]
    public void Link_dump_entry_decodes_every_modelled_field()
    {
        var (type, payload, _) = Assert.Single(Messages(KernelReplies.LinkVeth0));
        Assert.Equal(Rtm.NewLink, type);
        var link = LinkDecoder.Decode(payload);
        Assert.Equal(3, link.Index);
        Assert.Equal("veth0", link.Name);
        Assert.Equal("veth", link.Kind);
        Assert.Equal(1, link.Type);
        Assert.Equal(1400, link.Mtu);
        Assert.Equal(4, link.MasterIndex);
        Assert.Equal(2, link.ParentIndex);
        Assert.Equal("uplink", link.Alias);
        Assert.Equal("lowerlayerdown", link.OperState);
        Assert.True(link.AdminUp);
        Assert.False(link.LowerUp);
        Assert.Equal("d2:6c:46:5b:e7:65", link.HardwareAddr);
        Assert.Equal("ff:ff:ff:ff:ff:ff", link.BroadcastAddr);
    }

    [Fact]
    public void Address_dump_entries_decode()
    {
        var (_, v4Payload, _) = Assert.Single(Messages(KernelReplies.AddressV4));
        var v4 = AddressCodec.Decode(v4Payload)!;
        Assert.Equal(3, v4.LinkIndex);
        Assert.Equal(IpPrefix.Parse("192.0.2.5/24"), v4.Prefix);
        Assert.Equal("veth0", v4.Label);
        Assert.Equal(0x80u, v4.Flags); // permanent
        Assert.Equal(0, v4.Scope);

        var v6Messages = Messages(KernelReplies.AddressV6);
        Assert.Equal([Rtm.NewAddr, Nl.Done], v6Messages.Select(m => m.Type));
        var v6 = AddressCodec.Decode(v6Messages[0].Payload)!;
        Assert.Equal(IpPrefix.Parse("2001:db8::5/64"), v6.Prefix);
        Assert.Equal(0x82u, v6.Flags); // permanent | nodad
        Assert.Equal(AddressFamily.InterNetworkV6, v6.Family);
    }

    [Fact]
    public void Route_dump_entry_decodes_table_metric_gateway_source_and_mtu()
    {
        var (_, payload, flags) = Assert.Single(Messages(KernelReplies.RouteTable100));
        Assert.Equal(Nl.FMulti, flags & Nl.FMulti);
        var route = RouteCodec.Decode(payload)!;
        Assert.Equal(AddressFamily.InterNetwork, route.Family);
        Assert.Equal(IpPrefix.Parse("10.1.0.0/16"), route.Destination);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), route.Gateway);
        Assert.Equal(IPAddress.Parse("192.0.2.5"), route.Source);
        Assert.Equal(3, route.OutLinkIndex);
        Assert.Equal(100u, route.Table);
        Assert.Equal(50u, route.Metric);
        Assert.Equal(1400u, route.Mtu);
        Assert.Equal(FabricMarks.Protocol, route.Protocol);
        Assert.Equal(1, route.Type);
        Assert.Equal(Nl.Done, Assert.Single(Messages(KernelReplies.RouteDumpDone)).Type);
    }

    [Fact]
    public void Error_reply_yields_errno()
    {
        // What the kernel answered `ip link show dev veth0` first (an RTM_GETLINK it does not support): -ENODEV.
        const string reply = "3400000002000000000000005d3b0000edffffff2000000010000500000000000000000000000000000000000000000000000000";
        var reader = new NetlinkMessageReader(Convert.FromHexString(reply));
        Assert.True(reader.TryRead(out var message));
        var error = NetlinkError.Parse(message)!;
        Assert.Equal(19, error.Errno);
        Assert.Equal("x: No such device (ENODEV)", error.For("x").Message);
    }

    [Fact]
    public void Extended_ack_text_is_kept()
    {
        // NLMSG_ERROR, flags CAPPED|ACK_TLVS, -EINVAL, the echoed request header, then NLMSGERR_ATTR_MSG "bad thing".
        const string reply = "34000000020000030000000000000000" + "eaffffff" +
            "14000000100005000000000000000000" + "0e000100626164207468696e67000000";
        var reader = new NetlinkMessageReader(Convert.FromHexString(reply));
        Assert.True(reader.TryRead(out var message));
        var error = NetlinkError.Parse(message)!;
        Assert.Equal(22, error.Errno);
        Assert.Equal("bad thing", error.KernelMessage);
        Assert.Equal("op: Invalid argument; kernel says: bad thing (EINVAL)", error.For("op").Message);
    }

    [Fact]
    public void Truncated_and_overlong_messages_are_clear_errors()
    {
        var link = Convert.FromHexString(KernelReplies.LinkVeth0);
        var e1 = Assert.Throws<NetlinkFormatException>(() => LinkDecoder.Decode(link.AsSpan(16, 10)));
        Assert.Equal("ifinfomsg truncated: 10 of 16 bytes", e1.Message);

        var cut = link[..100];
        var e2 = Assert.Throws<NetlinkFormatException>(() => new NetlinkMessageReader(cut).TryRead(out _));
        Assert.Contains("nlmsg_len 1864 is outside the 100 bytes", e2.Message);

        // An attribute claiming more bytes than the message holds.
        var payload = link.AsSpan(16, 40).ToArray();
        payload[16] = 0xff;
        var e3 = Assert.Throws<NetlinkFormatException>(() => LinkDecoder.Decode(payload));
        Assert.Contains("nla_len 255 is outside", e3.Message);

        // IFLA_MTU shortened to two bytes.
        var shortMtu = Convert.FromHexString("00000100030000000310000000000000" + "0a00030076657468300000000600040078050000");
        var e4 = Assert.Throws<NetlinkFormatException>(() => LinkDecoder.Decode(shortMtu));
        Assert.Equal("IFLA_MTU: attribute 4 has 2 bytes, needs 4", e4.Message);

        var e5 = Assert.Throws<NetlinkFormatException>(() => new NetlinkMessageReader(new byte[7]).TryRead(out _));
        Assert.Contains("netlink header truncated: 7 of 16", e5.Message);
    }

    [Fact]
    public void Families_fabric_does_not_model_are_skipped()
    {
        var rtmsg = new byte[12];
        rtmsg[0] = 128; // RTNL_FAMILY_IPMR
        Assert.Null(RouteCodec.Decode(rtmsg));
        Assert.Null(AddressCodec.Decode(new byte[] { 17, 0, 0, 0, 1, 0, 0, 0 }));
    }
}
