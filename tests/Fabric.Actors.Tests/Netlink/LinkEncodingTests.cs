using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;

namespace Fabric.Actors.Tests.Netlink;

/// <summary>Expected bytes are what iproute2 6.1 sent for the command in each comment, captured with
/// capture-iproute2.sh (strace, nlmsg_seq/nlmsg_pid zeroed). In that namespace lo=1, veth1=2, veth0=3, br0=4.
/// VLAN, bond, wireguard and dummy drivers are missing on the capture host: `ip` failed, but only after sending.</summary>
public class LinkEncodingTests
{
    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    [Fact]
    public void Bridge_with_options_matches_ip_link_add()
    {
        // ip link add br1 type bridge stp_state 1 vlan_filtering 1
        var request = new LinkRequest { Name = "br1", Kind = "bridge", Bridge = new BridgeOptions(Stp: true, VlanFiltering: true) };
        Assert.Equal(
            "4c000000100005060000000000000000000000000000000000000000000000000800030062723100240012000a00010062726964676500001400020008000500010000000500070001000000",
            Hex(LinkEncoder.Create(0, request, default)));
    }

    [Fact]
    public void Plain_bridge_matches_ip_link_add()
    {
        // ip link add br2 type bridge
        Assert.Equal(
            "38000000100005060000000000000000000000000000000000000000000000000800030062723200100012000a0001006272696467650000",
            Hex(LinkEncoder.Create(0, new LinkRequest { Name = "br2", Kind = "bridge" }, default)));
    }

    [Fact]
    public void Bridge_without_vlan_filtering_leaves_it_out_on_create_but_not_on_change()
    {
        // ip link add br3 type bridge stp_state 1
        Assert.Equal(
            "440000001000050600000000000000000000000000000000000000000000000008000300627233001c0012000a00010062726964676500000c0002000800050001000000",
            Hex(LinkEncoder.Create(0, new LinkRequest { Name = "br3", Kind = "bridge", Bridge = new BridgeOptions(Stp: true) }, default)));
        // ip link set dev br0 type bridge stp_state 0 vlan_filtering 0
        Assert.Equal(
            "4400000010000500000000000000000000000000040000000000000000000000240012000a00010062726964676500001400020008000500000000000500070000000000",
            Hex(LinkEncoder.Set(0, new LinkRequest { Name = "br0", Kind = "bridge", Bridge = new BridgeOptions() }, new LinkIndexes(Index: 4))));
    }

    [Fact]
    public void Set_mtu_matches_ip_link_set()
    {
        // ip link set dev br0 mtu 9000
        Assert.Equal("28000000100005000000000000000000000000000400000000000000000000000800040028230000",
            Hex(LinkEncoder.Set(0, new LinkRequest { Name = "br0", Mtu = 9000 }, new LinkIndexes(Index: 4))));
    }

    [Fact]
    public void Set_up_and_down_match_ip_link_set()
    {
        // ip link set dev br0 up
        Assert.Equal("2000000010000500000000000000000000000000040000000100000001000000",
            Hex(LinkEncoder.Set(0, new LinkRequest { Name = "br0", Up = true }, new LinkIndexes(Index: 4))));
        // ip link set dev br0 down
        Assert.Equal("2000000010000500000000000000000000000000040000000000000001000000",
            Hex(LinkEncoder.Set(0, new LinkRequest { Name = "br0", Up = false }, new LinkIndexes(Index: 4))));
    }

    [Fact]
    public void Master_and_nomaster_match_ip_link_set()
    {
        // ip link set dev veth0 master br0
        Assert.Equal("280000001000050000000000000000000000000003000000000000000000000008000a0004000000",
            Hex(LinkEncoder.Set(0, new LinkRequest { Name = "veth0", Master = "br0" }, new LinkIndexes(Index: 3, Master: 4))));
        // ip link set dev veth0 nomaster
        Assert.Equal("280000001000050000000000000000000000000003000000000000000000000008000a0000000000",
            Hex(LinkEncoder.Set(0, new LinkRequest { Name = "veth0", Master = "" }, new LinkIndexes(Index: 3, Master: 0))));
    }

    [Fact]
    public void Delete_matches_ip_link_del()
    {
        // ip link del dev br0
        Assert.Equal("2000000011000500000000000000000000000000040000000000000000000000", Hex(LinkEncoder.Delete(0, 4)));
    }

    [Fact]
    public void Vlan_matches_ip_link_add()
    {
        // ip link add link veth0 name veth0.100 type vlan protocol 802.1ad id 100
        var qinq = new LinkRequest { Name = "veth0.100", Kind = "vlan", Vlan = new VlanOptions("veth0", 100, 0x88a8) };
        Assert.Equal(
            "580000001000050600000000000000000000000000000000000000000000000008000500030000000e00030076657468302e3130300000002000120008000100766c616e140002000600050088a800000600010064000000",
            Hex(LinkEncoder.Create(0, qinq, new LinkIndexes(Parent: 3))));
        // ip link add link veth0 name veth0.7 type vlan id 7
        var dot1q = new LinkRequest { Name = "veth0.7", Kind = "vlan", Vlan = new VlanOptions("veth0", 7) };
        Assert.Equal(
            "4c0000001000050600000000000000000000000000000000000000000000000008000500030000000c00030076657468302e37001800120008000100766c616e0c0002000600010007000000",
            Hex(LinkEncoder.Create(0, dot1q, new LinkIndexes(Parent: 3))));
    }

    [Fact]
    public void Bond_with_options_matches_ip_link_add()
    {
        // ip link add bond0 type bond mode 802.3ad miimon 100 updelay 200 downdelay 300 xmit_hash_policy layer3+4
        //   lacp_rate fast min_links 1 primary veth0 arp_ip_target 192.0.2.1,192.0.2.2 ad_actor_sys_prio 100
        //   ad_actor_system 02:11:22:33:44:55
        var bond = new LinkRequest
        {
            Name = "bond0",
            Kind = "bond",
            Bond = new BondOptions
            {
                Mode = "802.3ad", MiiMon = 100, UpDelay = 200, DownDelay = 300, XmitHashPolicy = "layer3+4",
                LacpRate = "fast", MinLinks = 1, Primary = "veth0",
                ArpIpTargets = [System.Net.IPAddress.Parse("192.0.2.1"), System.Net.IPAddress.Parse("192.0.2.2")],
                AdActorSystemPriority = 100, AdActorSystem = "02:11:22:33:44:55",
            },
        };
        Assert.Equal(
            "a4000000100005060000000000000000000000000000000000000000000000000a000300626f6e64300000007800120008000100626f6e646c0002000500010004000000080003006400000008000400c8000000080005002c01000005000e00010000000500150001000000080012000100000008000b00030000001400080008000000c000020108000100c000020206001800640000000a001a000211223344550000",
            Hex(LinkEncoder.Create(0, bond, new LinkIndexes(BondPrimary: 3))));
        // ip link add bond1 type bond mode active-backup
        Assert.Equal(
            "44000000100005060000000000000000000000000000000000000000000000000a000300626f6e64310000001800120008000100626f6e640c0002000500010001000000",
            Hex(LinkEncoder.Create(0, new LinkRequest { Name = "bond1", Kind = "bond", Bond = new BondOptions { Mode = "active-backup" } }, default)));
    }

    [Fact]
    public void Unknown_bond_mode_is_a_clear_error()
    {
        var bond = new LinkRequest { Name = "bond0", Kind = "bond", Bond = new BondOptions { Mode = "802.3AD" } };
        var e = Assert.Throws<ArgumentException>(() => LinkEncoder.Create(0, bond, default));
        Assert.Contains("bond bond0: mode \"802.3AD\"", e.Message);
    }

    [Fact]
    public void Wireguard_and_dummy_match_ip_link_add()
    {
        // ip link add wg0 type wireguard
        Assert.Equal(
            "3c000000100005060000000000000000000000000000000000000000000000000800030077673000140012000d000100776972656775617264000000",
            Hex(LinkEncoder.Create(0, new LinkRequest { Name = "wg0", Kind = "wireguard" }, default)));
        // ip link add d0 type dummy
        Assert.Equal(
            "38000000100005060000000000000000000000000000000000000000000000000700030064300000100012000900010064756d6d79000000",
            Hex(LinkEncoder.Create(0, new LinkRequest { Name = "d0", Kind = "dummy" }, default)));
    }
}
