using System.Net;
using System.Net.Sockets;
using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;

namespace Fabric.Actors.Tests.Netlink;

/// <summary>Expected bytes captured from iproute2 6.1 with capture-iproute2.sh (seq/pid zeroed); veth0 is index 3.</summary>
public class AddressRouteEncodingTests
{
    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static KernelAddress Address(string cidr, byte protocol = 0, uint flags = 0) =>
        new() { LinkIndex = 3, Prefix = IpPrefix.Parse(cidr), Protocol = protocol, Flags = flags };

    /// <summary>iproute2 6.1 has no `ip address ... proto`: Fabric's IFA_PROTO (type 11, u8) is appended to
    /// ip's bytes here, and nlmsg_len grows by the 8 bytes of that attribute.</summary>
    private static string WithProto(string ipHex, byte protocol)
    {
        var bytes = Convert.FromHexString(ipHex + "05000b00" + protocol.ToString("x2") + "000000");
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), bytes.Length);
        return Hex(bytes);
    }

    [Fact]
    public void Ipv4_address_replace_matches_ip_plus_proto()
    {
        // ip address replace 192.0.2.6/24 dev veth0
        const string ip = "28000000140005050000000000000000021800000300000008000200c000020608000100c0000206";
        Assert.Equal(ip, Hex(AddressCodec.Replace(0, Address("192.0.2.6/24"))));
        Assert.Equal(WithProto(ip, 70), Hex(AddressCodec.Replace(0, Address("192.0.2.6/24", FabricMarks.Protocol))));
    }

    [Fact]
    public void Ipv6_address_replace_matches_ip_plus_proto()
    {
        // ip -6 address replace 2001:db8::6/64 dev veth0
        const string ip = "400000001400050500000000000000000a400000030000001400020020010db80000000000000000000000061400010020010db8000000000000000000000006";
        Assert.Equal(WithProto(ip, 70), Hex(AddressCodec.Replace(0, Address("2001:db8::6/64", FabricMarks.Protocol))));
        // ip -6 address replace 2001:db8::7/64 dev veth0 nodad
        const string nodad = "400000001400050500000000000000000a400200030000001400020020010db80000000000000000000000071400010020010db8000000000000000000000007";
        Assert.Equal(nodad, Hex(AddressCodec.Replace(0, Address("2001:db8::7/64", flags: 0x02))));
    }

    [Fact]
    public void Address_delete_matches_ip_address_del()
    {
        // ip address del 192.0.2.6/24 dev veth0
        Assert.Equal("28000000150005000000000000000000021800000300000008000200c000020608000100c0000206",
            Hex(AddressCodec.Delete(0, Address("192.0.2.6/24", FabricMarks.Protocol))));
        // ip -6 address del 2001:db8::6/64 dev veth0
        Assert.Equal("400000001500050000000000000000000a400000030000001400020020010db80000000000000000000000061400010020010db8000000000000000000000006",
            Hex(AddressCodec.Delete(0, Address("2001:db8::6/64"))));
    }

    private static KernelRoute Route(string destination, string? via = null, uint table = 254, uint metric = 0,
        string? src = null, uint mtu = 0, int oif = 3, byte scope = 0, byte type = 1) => new()
    {
        Family = IpPrefix.Parse(destination).Family,
        Destination = IpPrefix.Parse(destination),
        Gateway = via is null ? null : IPAddress.Parse(via),
        Source = src is null ? null : IPAddress.Parse(src),
        Table = table, Metric = metric, Mtu = mtu, OutLinkIndex = oif, Scope = scope, Type = type,
        Protocol = FabricMarks.Protocol,
    };

    [Fact]
    public void Route_replace_with_table_metric_source_mtu_matches_ip()
    {
        // ip route replace 10.1.0.0/16 via 192.0.2.1 dev veth0 src 192.0.2.5 table 100 metric 50 mtu 1400 proto 70
        Assert.Equal(
            "50000000180005050000000000000000021000006446000100000000080001000a01000008000500c000020108000700c0000205080006003200000008000400030000000c0008000800020078050000",
            Hex(RouteCodec.Replace(0, Route("10.1.0.0/16", "192.0.2.1", table: 100, metric: 50, src: "192.0.2.5", mtu: 1400))));
    }

    [Fact]
    public void Route_in_table_above_255_uses_rta_table_like_ip()
    {
        // ip route replace 10.2.0.0/16 via 192.0.2.1 dev veth0 table 1000 metric 50 proto 70
        Assert.Equal(
            "44000000180005050000000000000000021000000046000100000000080001000a02000008000500c000020108000f00e803000008000600320000000800040003000000",
            Hex(RouteCodec.Replace(0, Route("10.2.0.0/16", "192.0.2.1", table: 1000, metric: 50))));
    }

    [Fact]
    public void Default_link_scope_ipv6_and_blackhole_routes_match_ip()
    {
        // ip route replace default via 192.0.2.1 dev veth0 proto 70
        Assert.Equal("2c00000018000505000000000000000002000000fe4600010000000008000500c00002010800040003000000",
            Hex(RouteCodec.Replace(0, Route("0.0.0.0/0", "192.0.2.1"))));
        // ip route replace 10.3.0.0/24 dev veth0 scope link proto 70
        Assert.Equal("2c00000018000505000000000000000002180000fe46fd0100000000080001000a0300000800040003000000",
            Hex(RouteCodec.Replace(0, Route("10.3.0.0/24", scope: 253))));
        // ip -6 route replace 2001:db8:1::/48 via 2001:db8::1 dev veth0 metric 1024 proto 70
        Assert.Equal(
            "540000001800050500000000000000000a300000fe460001000000001400010020010db80001000000000000000000001400050020010db800000000000000000000000108000600000400000800040003000000",
            Hex(RouteCodec.Replace(0, Route("2001:db8:1::/48", "2001:db8::1", metric: 1024))));
        // ip route replace blackhole 10.9.0.0/16 proto 70
        Assert.Equal("2400000018000505000000000000000002100000fe46000600000000080001000a090000",
            Hex(RouteCodec.Replace(0, Route("10.9.0.0/16", oif: 0, type: 6))));
    }

    [Fact]
    public void Route_delete_matches_ip_route_del()
    {
        // ip route del 10.1.0.0/16 via 192.0.2.1 dev veth0 table 100 metric 50 proto 70
        Assert.Equal(
            "3c000000190005000000000000000000021000006446ff0000000000080001000a01000008000500c000020108000600320000000800040003000000",
            Hex(RouteCodec.Delete(0, Route("10.1.0.0/16", "192.0.2.1", table: 100, metric: 50, src: "192.0.2.5", mtu: 1400))));
        // ip route del default via 192.0.2.1 dev veth0 proto 70
        Assert.Equal("2c00000019000500000000000000000002000000fe46ff000000000008000500c00002010800040003000000",
            Hex(RouteCodec.Delete(0, Route("0.0.0.0/0", "192.0.2.1"))));
    }

    [Fact]
    public void Route_destination_host_bits_are_cleared()
    {
        var bytes = RouteCodec.Replace(0, Route("10.1.2.3/16", "192.0.2.1"));
        Assert.Contains("080001000a010000", Hex(bytes));
        Assert.Equal(AddressFamily.InterNetwork, Route("10.1.2.3/16").Family);
    }
}
