using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;

namespace Fabric.Actors.Tests.Netlink;

/// <summary>No wireguard module or wg(8) here to capture from, so the expected bytes are assembled by hand from
/// linux/wireguard.h, attribute by attribute.</summary>
public class WireguardEncodingTests
{
    private static readonly string KeyOf11 = Convert.ToBase64String(Enumerable.Repeat((byte)0x11, 32).ToArray());
    private static readonly string KeyOf22 = Convert.ToBase64String(Enumerable.Repeat((byte)0x22, 32).ToArray());

    [Fact]
    public void Set_device_message_follows_the_uapi()
    {
        var options = new WireguardOptions
        {
            PrivateKey = KeyOf11,
            ListenPort = 51820,
            Peers =
            [
                new WireguardPeer
                {
                    PublicKey = KeyOf22, Endpoint = "192.0.2.1:51820", PersistentKeepalive = TimeSpan.FromSeconds(25),
                    AllowedIps = [IpPrefix.Parse("10.0.0.0/8")],
                },
            ],
        };
        var expected = string.Concat(
            "c0000000" + "2100" + "0500" + "00000000" + "00000000", // nlmsghdr: family id 0x21, REQUEST|ACK
            "01010000",                                             // genlmsghdr: WG_CMD_SET_DEVICE, version 1
            "08000200" + "77673000",                                // WGDEVICE_A_IFNAME "wg0"
            "24000300" + string.Concat(Enumerable.Repeat("11", 32)), // WGDEVICE_A_PRIVATE_KEY
            "06000600" + "6cca" + "0000",                           // WGDEVICE_A_LISTEN_PORT 51820
            "08000500" + "01000000",                                // WGDEVICE_A_FLAGS REPLACE_PEERS
            "70000880",                                             // WGDEVICE_A_PEERS | NLA_F_NESTED
            "6c000080",                                             //   peer 0 | NLA_F_NESTED
            "24000100" + string.Concat(Enumerable.Repeat("22", 32)), //   WGPEER_A_PUBLIC_KEY
            "08000300" + "02000000",                                //   WGPEER_A_FLAGS REPLACE_ALLOWEDIPS
            "14000400" + "0200" + "ca6c" + "c0000201" + "0000000000000000", // WGPEER_A_ENDPOINT sockaddr_in
            "06000500" + "1900" + "0000",                           //   WGPEER_A_PERSISTENT_KEEPALIVE_INTERVAL 25
            "20000980",                                             //   WGPEER_A_ALLOWEDIPS | NLA_F_NESTED
            "1c000080",                                             //     allowed ip 0 | NLA_F_NESTED
            "06000100" + "0200" + "0000",                           //     WGALLOWEDIP_A_FAMILY AF_INET
            "08000200" + "0a000000",                                //     WGALLOWEDIP_A_IPADDR 10.0.0.0
            "05000300" + "08" + "000000");                          //     WGALLOWEDIP_A_CIDR_MASK 8
        Assert.Equal(expected, Convert.ToHexString(WireguardEncoder.SetDevice(0, 0x21, "wg0", options)).ToLowerInvariant());
    }

    [Fact]
    public void Ipv6_endpoint_is_a_sockaddr_in6()
    {
        var options = new WireguardOptions
        {
            PrivateKey = KeyOf11,
            Peers = [new WireguardPeer { PublicKey = KeyOf22, Endpoint = "[2001:db8::1]:443" }],
        };
        var hex = Convert.ToHexString(WireguardEncoder.SetDevice(0, 0x21, "wg0", options)).ToLowerInvariant();
        // len 32, WGPEER_A_ENDPOINT, AF_INET6, port 443, flowinfo 0, address, scope 0
        Assert.Contains("20000400" + "0a00" + "01bb" + "00000000" + "20010db8000000000000000000000001" + "00000000", hex);
    }

    [Fact]
    public void Bad_key_and_endpoint_are_clear_errors()
    {
        var e1 = Assert.Throws<ArgumentException>(() =>
            WireguardEncoder.SetDevice(0, 0x21, "wg0", new WireguardOptions { PrivateKey = "short" }));
        Assert.Equal("wireguard wg0: private key is not a base64 32-byte key", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => WireguardEncoder.SetDevice(0, 0x21, "wg0",
            new WireguardOptions { PrivateKey = KeyOf11, Peers = [new WireguardPeer { PublicKey = KeyOf22, Endpoint = "vpn.example:51820" }] }));
        Assert.Contains("endpoint \"vpn.example:51820\" is not ADDRESS:PORT", e2.Message);
    }

    [Fact]
    public void Generic_netlink_family_lookup_names_the_family()
    {
        // Captured (seq zeroed) from: strace -e trace=sendmsg -e write=3 genl ctrl get name wireguard
        Assert.Equal("2400000010000500000000000000000003000000" + "0e000200776972656775617264000000",
            Convert.ToHexString(GenericNetlinkCodec.GetFamily(0, "wireguard")).ToLowerInvariant());
    }
}
