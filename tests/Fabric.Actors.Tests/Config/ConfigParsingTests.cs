using System.Net;
using Fabric.Actors.Config;
using static Fabric.Actors.Tests.Config.ConfigTestHelpers;

namespace Fabric.Actors.Tests.Config;

public class ConfigParsingTests
{
    [Fact]
    public void Talos_reference_example_normalises_bond_vlan_and_vip()
    {
        var result = LoadSample("talos-controlplane.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        var net = result.Config!.Network;

        Assert.Equal("cp-1", net.Hostname);
        Assert.Equal([IPAddress.Parse("203.0.113.53")], net.Nameservers);
        Assert.Equal(["dc1.example.com"], net.SearchDomains);

        var bond = Assert.Single(net.Links, l => l.Name == "bond0");
        Assert.Equal(LinkKind.Bond, bond.Kind);
        Assert.Equal(9000, bond.Mtu);
        Assert.Equal("802.3ad", bond.Bond!.Mode);
        Assert.Equal("fast", bond.Bond.LacpRate);
        Assert.Equal("layer3+4", bond.Bond.XmitHashPolicy);
        Assert.Equal(100u, bond.Bond.MiiMon);
        Assert.Equal(["0c:c4:7a:00:00:01", "0c:c4:7a:00:00:02"], bond.Bond.DeviceSelectors.Select(s => s.HardwareAddr));
        Assert.Equal((16, 9), (bond.Location!.Line, bond.Location.Column));

        var vlan = Assert.Single(net.Links, l => l.Name == "bond0.100");
        Assert.Equal(LinkKind.Vlan, vlan.Kind);
        Assert.Equal(new VlanDefinition("bond0", 100), vlan.Vlan);

        var address = Assert.Single(net.Addresses);
        Assert.Equal("bond0.100", address.Link);
        Assert.Equal(IpPrefix.Parse("192.0.2.11/24"), address.Prefix);

        var route = Assert.Single(net.Routes);
        Assert.Equal("bond0.100", route.Link);
        Assert.Null(route.Destination); // 0.0.0.0/0 via a gateway is the default route
        Assert.Equal(IPAddress.Parse("192.0.2.1"), route.Gateway);
        Assert.Equal(1024u, route.Metric);

        var vip = Assert.Single(net.Vips);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), vip.Ip);
        Assert.Equal("bond0.100", vip.Link);
        Assert.Equal(VipAnnouncer.Layer2, vip.Announcer);

        var host = Assert.Single(net.ExtraHostEntries);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), host.Ip);
        Assert.Equal(["k8s-api.dc1.example.com"], host.Aliases);
    }

    [Fact]
    public void Bgp_example_reads_peers_and_advertisements()
    {
        var result = LoadSample("bgp.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var bgp = result.Config!.Fabric.Bgp!;
        Assert.Equal(64513u, bgp.Asn);
        Assert.Equal(IPAddress.Parse("203.0.113.2"), bgp.RouterId);

        var peer = Assert.Single(bgp.Peers);
        Assert.Equal(IPAddress.Parse("203.0.113.1"), peer.Address);
        Assert.Equal(64512u, peer.Asn);
        Assert.Equal(179, peer.Port);
        Assert.Equal(TimeSpan.FromSeconds(90), peer.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(30), peer.KeepaliveTime);
        Assert.Equal("", peer.Password);
        Assert.False(peer.EbgpMultiHop);
        Assert.Equal(IPAddress.Parse("203.0.113.2"), peer.SourceAddress);
        Assert.True(peer.GracefulRestart);

        var ad = Assert.Single(bgp.Advertisements);
        Assert.Equal([IpPrefix.Parse("198.51.100.1/32"), IpPrefix.Parse("2001:db8:100::1/128")], ad.Prefixes);
        Assert.Equal(["64513:100"], ad.Communities);
        Assert.Equal(["64513:1:2"], ad.LargeCommunities);
        Assert.Equal(100u, ad.LocalPref);
        Assert.Empty(ad.Peers);
    }

    [Fact]
    public void Bgp_optional_peer_fields_and_advertisement_targets()
    {
        var bgp = ParseValid("""
            fabric:
              bgp:
                asn: 4200000000
                routerId: 192.0.2.1
                peers:
                  - {address: "2001:db8::1", asn: 64512, holdTime: 9s, connectRetryTime: 1m30s, gtsm: true,
                     passive: true, disableFourByteAsn: true, password: s3cret}
                advertisements:
                  - {prefixes: ["2001:db8:100::/48"], med: 20, peers: ["2001:db8::1"], communities: [no-export]}
            """).Fabric.Bgp!;
        var peer = Assert.Single(bgp.Peers);
        Assert.Equal(4200000000u, bgp.Asn);
        Assert.Equal(TimeSpan.FromSeconds(9), peer.HoldTime);
        Assert.Equal(TimeSpan.FromSeconds(3), peer.KeepaliveTime); // follows holdTime/3 when unset
        Assert.Equal(TimeSpan.FromSeconds(90), peer.ConnectRetryTime);
        Assert.True(peer.Gtsm && peer.Passive && peer.DisableFourByteAsn);
        Assert.Equal("s3cret", peer.Password);
        var ad = Assert.Single(bgp.Advertisements);
        Assert.Equal(20u, ad.Med);
        Assert.Equal([IPAddress.Parse("2001:db8::1")], ad.Peers);
        Assert.Equal(["no-export"], ad.Communities);
    }

    [Fact]
    public void Multi_document_file_maps_every_kind_into_the_same_model()
    {
        var result = LoadSample("multidoc.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics);
        Assert.EndsWith(":84:7: kind: warning: kind KubeletConfig is not a network document; Fabric ignores it", warning.ToString());

        var config = result.Config!;
        var net = config.Network;
        Assert.Equal("cp-2", net.Hostname);
        Assert.Equal([IPAddress.Parse("203.0.113.53"), IPAddress.Parse("2001:db8::53")], net.Nameservers);
        Assert.Equal(["dc1.example.com"], net.SearchDomains);

        var eno1 = Assert.Single(net.Links, l => l.Name == "eno1");
        Assert.Equal(9000, eno1.Mtu);
        Assert.Equal("bond0", eno1.Master); // LinkConfig merged with the bond's membership
        Assert.Equal("bond0", Assert.Single(net.Links, l => l.Name == "eno2").Master);
        Assert.Equal("br0", Assert.Single(net.Links, l => l.Name == "eno3").Master);

        var bond = Assert.Single(net.Links, l => l.Name == "bond0");
        Assert.Equal(LinkKind.Bond, bond.Kind);
        Assert.Equal(["eno1", "eno2"], bond.Bond!.Interfaces);
        Assert.Equal("slow", bond.Bond.LacpRate);

        var vlan = Assert.Single(net.Links, l => l.Name == "bond0.100");
        Assert.Equal(new VlanDefinition("bond0", 100), vlan.Vlan);
        var address = Assert.Single(net.Addresses, a => a.Link == "bond0.100");
        Assert.Equal(50u, address.RoutePriority);
        Assert.Equal(2, net.Routes.Count(r => r.Link == "bond0.100"));
        Assert.Contains(net.Routes, r => r.Destination is null && r.Gateway!.Equals(IPAddress.Parse("192.0.2.1")));
        Assert.Contains(net.Routes, r => r.Destination == IpPrefix.Parse("10.0.0.0/8") && r.Metric == 100 && r.Table == 254);

        var bridge = Assert.Single(net.Links, l => l.Name == "br0");
        Assert.True(bridge.Bridge!.Stp);
        Assert.Equal(LinkKind.Dummy, Assert.Single(net.Links, l => l.Name == "dummy0").Kind);

        var wg = Assert.Single(net.Links, l => l.Name == "wg0");
        Assert.Equal((ushort)51820, wg.Wireguard!.ListenPort!.Value);
        var wgPeer = Assert.Single(wg.Wireguard.Peers);
        Assert.Equal(TimeSpan.FromSeconds(25), wgPeer.PersistentKeepaliveInterval);
        Assert.Equal([IpPrefix.Parse("10.10.0.0/16")], wgPeer.AllowedIps);

        Assert.Equal(["k8s-api.dc1.example.com"], Assert.Single(net.ExtraHostEntries).Aliases);
        Assert.Contains(net.Vips, v => v.Ip.Equals(IPAddress.Parse("192.0.2.10")) && v.Announcer == VipAnnouncer.Layer2 && v.Link == "bond0.100");
        Assert.Contains(net.Vips, v => v.Ip.Equals(IPAddress.Parse("192.0.2.20")) && v.Announcer == VipAnnouncer.HetznerCloud && v.ApiToken == "hcloud-token");

        var fabric = config.Fabric;
        Assert.Equal("cp-2", fabric.NodeName);
        Assert.Equal("0.0.0.0:50000", fabric.ApiListen);
        Assert.Equal("dc1", fabric.Cluster!.Name);
        Assert.Equal(["192.0.2.11:4053", "[2001:db8::11]:4053"], fabric.Cluster.Seeds);
        Assert.Equal(TimeSpan.FromSeconds(2), fabric.Cluster.LeaseDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(500), fabric.Cluster.LeaseRenewInterval);
        Assert.Equal(0.1, fabric.Cluster.LeaseDriftMargin);
        Assert.Equal(TimeSpan.FromSeconds(5), fabric.Cluster.AnnounceRefresh);
        Assert.Equal("postgresql", fabric.Persistence!.Provider);

        Assert.Collection(config.ExtraDocuments,
            d => { Assert.Equal(("metallb.io/v1beta1", "IPAddressPool", "public"), (d.ApiVersion, d.Kind, d.Name)); Assert.Equal(102, d.Location.Line); },
            d => { Assert.Equal(("v1", "Service", "ingress"), (d.ApiVersion, d.Kind, d.Name)); Assert.IsType<YamlDotNet.RepresentationModel.YamlMappingNode>(d.Tree); });
    }

    [Fact]
    public void Fabric_defaults_apply_when_the_section_is_absent()
    {
        var config = ParseValid("""
            machine:
              network:
                hostname: n1
            """);
        Assert.Equal("127.0.0.1:50000", config.Fabric.ApiListen);
        Assert.Equal("/", config.Fabric.EtcRoot);
        Assert.Null(config.Fabric.Cluster);
    }

    [Fact]
    public void Fabric_settings_may_share_the_machine_config_document()
    {
        var config = ParseValid("""
            version: v1alpha1
            machine:
              network:
                interfaces:
                  - interface: eth0
                    addresses: [192.0.2.5/24]
            fabric:
              etcRoot: /run/fabric-root
              api: {listen: "[::1]:50001"}
            """);
        Assert.Equal("/run/fabric-root", config.Fabric.EtcRoot);
        Assert.Equal("[::1]:50001", config.Fabric.ApiListen);
        Assert.Equal("eth0", Assert.Single(config.Network.Addresses).Link);
    }

    [Fact]
    public void Legacy_interfaces_cover_bridge_ports_cidr_routes_selectors_and_providers()
    {
        var net = ParseValid("""
            machine:
              network:
                disableSearchDomain: true
                interfaces:
                  - interface: br0
                    bridge: {interfaces: [eth1, eth2], stp: {enabled: true}, vlan: {vlanFiltering: true}}
                    cidr: 192.0.2.5/24
                    routes:
                      - gateway: 192.0.2.1
                      - {network: "2001:db8:1::/48", gateway: "fe80::1", source: "2001:db8::5", metric: 10, mtu: 1400}
                    addresses: ["2001:db8::5/64"]
                    vip: {ip: 192.0.2.50, hcloud: {apiToken: tok}}
                  - interface: eth2
                    mtu: 1500
                  - interface: eth3
                    bridgePort: {master: br0}
                  - deviceSelector: {hardwareAddr: "aa:bb:cc:dd:ee:ff", driver: ixgbe}
                    dhcp: true
                    vip: {ip: 198.51.100.9, equinixMetal: {apiToken: em}}
                  - interface: wg0
                    wireguard:
                      privateKey: OJ34O6J1z4ZZB+t16c+vYrzIrKddxyU3Z2eLhwYzqE8=
                      firewallMark: 0x10
                      peers: [{publicKey: fP+xJZvUA5n1Pi/f5wcPiV6tZ6fHwqcGaXe98NfEgkE=, endpoint: "vpn.example.com:51820", allowedIPs: [0.0.0.0/0]}]
                  - interface: dummy0
                    dummy: true
                  - interface: eth9
                    ignore: true
            """).Network;
        Assert.True(net.DisableSearchDomain);
        var br0 = Assert.Single(net.Links, l => l.Name == "br0");
        Assert.Equal(LinkKind.Bridge, br0.Kind);
        Assert.True(br0.Bridge!.VlanFiltering);
        Assert.Equal("br0", Assert.Single(net.Links, l => l.Name == "eth1").Master);
        var eth2 = Assert.Single(net.Links, l => l.Name == "eth2");
        Assert.Equal(("br0", 1500), (eth2.Master, eth2.Mtu));
        Assert.Equal("br0", Assert.Single(net.Links, l => l.Name == "eth3").Master);
        Assert.Equal(2, net.Addresses.Count(a => a.Link == "br0"));

        var defaultRoute = Assert.Single(net.Routes, r => r.Destination is null);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), defaultRoute.Gateway);
        var v6 = Assert.Single(net.Routes, r => r.Destination is not null);
        Assert.Equal((10u, 1400u), (v6.Metric, v6.Mtu!.Value));
        Assert.Equal(IPAddress.Parse("2001:db8::5"), v6.Source);

        Assert.Contains(net.Vips, v => v.Announcer == VipAnnouncer.HetznerCloud && v.ApiToken == "tok" && v.Link == "br0");
        var em = Assert.Single(net.Vips, v => v.Announcer == VipAnnouncer.EquinixMetal);
        Assert.Null(em.Link);
        Assert.Equal("ixgbe", em.Selector!.Driver);

        var selected = Assert.Single(net.Links, l => l.Selector is not null);
        Assert.True(selected.Dhcp);
        Assert.Equal(0x10u, Assert.Single(net.Links, l => l.Name == "wg0").Wireguard!.FirewallMark);
        Assert.Equal(LinkKind.Dummy, Assert.Single(net.Links, l => l.Name == "dummy0").Kind);
        Assert.True(Assert.Single(net.Links, l => l.Name == "eth9").Ignore);
    }

    [Fact]
    public void Other_talos_keys_and_kubespan_are_ignored_silently()
    {
        var result = Parse("""
            version: v1alpha1
            machine:
              sysctls: {net.ipv4.ip_forward: "1"}
              network:
                kubespan: {enabled: true, anything: [1, 2]}
            cluster:
              network: {cni: {name: none}}
            """);
        Assert.True(result.IsValid);
        Assert.Empty(result.Diagnostics);
    }

    [Fact]
    public void Unknown_apiVersions_are_ignored_with_a_warning()
    {
        AssertDiagnostics("""
            apiVersion: apps/v1
            kind: Deployment
            """,
            "node.yaml:1:1: warning: ignoring document apiVersion: apps/v1, kind: Deployment; Fabric does not use it");
    }

    [Fact]
    public void Go_durations()
    {
        Assert.True(GoDuration.TryParse("1m30s", out var a, out _));
        Assert.Equal(TimeSpan.FromSeconds(90), a);
        Assert.True(GoDuration.TryParse("500ms", out var b, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(500), b);
        Assert.True(GoDuration.TryParse("2h", out var c, out _));
        Assert.Equal(TimeSpan.FromHours(2), c);
        Assert.True(GoDuration.TryParse("1.5s", out var d, out _));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), d);
        Assert.False(GoDuration.TryParse("90", out _, out _));
        Assert.False(GoDuration.TryParse("5 s", out _, out _));
        Assert.Equal("1m30s", GoDuration.Format(TimeSpan.FromSeconds(90)));
    }
}
