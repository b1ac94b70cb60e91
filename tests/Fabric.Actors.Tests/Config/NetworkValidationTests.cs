using static Fabric.Actors.Tests.Config.ConfigTestHelpers;

namespace Fabric.Actors.Tests.Config;

/// <summary>One test per network rule, pinning the exact line an operator will read.</summary>
public class NetworkValidationTests
{
    [Fact]
    public void Bad_cidr() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                addresses: [192.0.2.300/24]
        """,
        "node.yaml:5:21: machine.network.interfaces[0].addresses[0]: \"192.0.2.300/24\" is not a valid CIDR prefix: \"192.0.2.300\" is not an IP address");

    [Fact]
    public void Prefix_length_out_of_range() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                cidr: 192.0.2.1/33
        """,
        "node.yaml:5:15: machine.network.interfaces[0].cidr: \"192.0.2.1/33\" is not a valid CIDR prefix: prefix length \"33\" must be 0..32");

    [Fact]
    public void Bad_ip() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                routes:
                  - {network: 10.0.0.0/8, gateway: 192.0.2.256}
        """,
        "node.yaml:6:44: machine.network.interfaces[0].routes[0].gateway: \"192.0.2.256\" is not a valid IP address");

    [Fact]
    public void Address_without_prefix_length() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                addresses: [192.0.2.10]
        """,
        "node.yaml:5:21: machine.network.interfaces[0].addresses[0]: \"192.0.2.10\" has no prefix length; add the subnet's length, e.g. 192.0.2.10/24");

    [Fact]
    public void Duplicate_address_on_two_links() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                addresses: [192.0.2.10/24]
              - interface: eth1
                addresses: [192.0.2.10/25]
        """,
        "node.yaml:7:21: machine.network.interfaces[1].addresses[0]: address 192.0.2.10 is already assigned to eth0 at node.yaml:5:21; an address can live on one link only");

    [Fact]
    public void Duplicate_address_on_one_link() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                addresses: [192.0.2.10/24, 192.0.2.10/24]
        """,
        "node.yaml:5:36: machine.network.interfaces[0].addresses[1]: address 192.0.2.10 is listed twice on eth0 (first at node.yaml:5:21)");

    [Fact]
    public void Gateway_outside_the_links_prefixes_is_only_a_warning()
    {
        AssertDiagnostics("""
            machine:
              network:
                interfaces:
                  - interface: eth0
                    addresses: [192.0.2.10/24]
                    routes:
                      - gateway: 198.51.100.1
            """,
            "node.yaml:7:22: machine.network.interfaces[0].routes[0].gateway: warning: gateway 198.51.100.1 is outside every prefix on eth0 (its prefixes are 192.0.2.10/24); the route will only work if the gateway is reachable on-link");
        Assert.True(Parse("""
            machine:
              network:
                interfaces:
                  - interface: eth0
                    addresses: [192.0.2.10/24]
                    routes:
                      - gateway: 198.51.100.1
            """).IsValid);
    }

    [Fact]
    public void Gateway_family_differs_from_network() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                routes:
                  - {network: "2001:db8::/32", gateway: 192.0.2.1}
        """,
        "node.yaml:6:49: machine.network.interfaces[0].routes[0].gateway: gateway 192.0.2.1 is IPv4 but network 2001:db8::/32 is IPv6");

    [Fact]
    public void Route_source_of_wrong_family() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                routes:
                  - {network: 10.0.0.0/8, gateway: 192.0.2.1, source: "2001:db8::1"}
        """,
        "node.yaml:6:63: machine.network.interfaces[0].routes[0].source: source 2001:db8::1 is IPv6 but the route is IPv4");

    [Fact]
    public void Route_needs_a_network_or_gateway() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                routes:
                  - metric: 10
        """,
        "node.yaml:6:13: machine.network.interfaces[0].routes[0]: a route needs a network, a gateway, or both");

    [Fact]
    public void Vlan_id_out_of_range() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                vlans:
                  - vlanId: 4095
        """,
        "node.yaml:6:21: machine.network.interfaces[0].vlans[0].vlanId: VLAN id must be 1..4094, got 4095");

    [Fact]
    public void Vlan_id_out_of_range_in_a_VLANConfig() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: VLANConfig
        name: eth0.0
        vlanID: 0
        parent: eth0
        """,
        "node.yaml:4:9: VLANConfig(eth0.0).vlanID: VLAN id must be 1..4094, got 0");

    [Fact]
    public void Duplicate_vlan_id_on_one_parent() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                vlans:
                  - vlanId: 100
                  - vlanId: 100
        """,
        "node.yaml:7:21: machine.network.interfaces[0].vlans[1].vlanId: VLAN 100 is already defined on eth0 at node.yaml:6:21");

    [Fact]
    public void Mtu_out_of_range() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                mtu: 65536
        """,
        "node.yaml:5:14: machine.network.interfaces[0].mtu: MTU must be 68..65535, got 65536");

    [Fact]
    public void Mtu_below_1280_on_an_ipv6_link() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                mtu: 1200
                addresses: ["2001:db8::5/64"]
        """,
        "node.yaml:5:14: machine.network.interfaces[0].mtu: MTU 1200 is below 1280, the IPv6 minimum, but eth0 carries IPv6 address 2001:db8::5/64 (node.yaml:6:21)");

    [Fact]
    public void Bond_without_members() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: bond0
                bond:
                  mode: active-backup
        """,
        "node.yaml:6:11: machine.network.interfaces[0].bond: a bond needs member links: list them under interfaces or deviceSelectors");

    [Fact]
    public void BondConfig_without_links() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: BondConfig
        name: bond0
        links: []
        bondMode: 802.3ad
        """,
        "node.yaml:4:8: BondConfig(bond0).links: a bond needs member links: list them under links");

    [Fact]
    public void Unknown_bond_mode_xmit_hash_policy_and_lacp_rate() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: bond0
                bond:
                  interfaces: [eth0]
                  mode: 802.3ab
                  xmitHashPolicy: layer5
                  lacpRate: medium
        """,
        "node.yaml:7:17: machine.network.interfaces[0].bond.mode: unknown bond mode \"802.3ab\" (valid: balance-rr, active-backup, balance-xor, broadcast, 802.3ad, balance-tlb, balance-alb)",
        "node.yaml:8:27: machine.network.interfaces[0].bond.xmitHashPolicy: unknown xmitHashPolicy \"layer5\" (valid: layer2, layer3+4, layer2+3, encap2+3, encap3+4, vlan+srcmac)",
        "node.yaml:9:21: machine.network.interfaces[0].bond.lacpRate: unknown lacpRate \"medium\" (valid: slow, fast)");

    [Fact]
    public void Bridge_port_referencing_itself() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: br0
                bridge:
                  interfaces: [eth0, br0]
        """,
        "node.yaml:6:30: machine.network.interfaces[0].bridge.interfaces[1]: br0 cannot be a port of itself");

    [Fact]
    public void Port_with_two_masters() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: br0
                bridge: {interfaces: [eth0]}
              - interface: eth0
                bridgePort: {master: br1}
        """,
        "node.yaml:7:30: machine.network.interfaces[1].bridgePort.master: eth0 is already a port of br0 (node.yaml:5:31); a link can have only one master");

    [Fact]
    public void Interface_configured_twice() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                mtu: 1500
              - interface: eth0
                mtu: 9000
        """,
        "node.yaml:6:9: machine.network.interfaces[1]: interface eth0 is configured twice; first at node.yaml:4:9 — merge the two entries");

    [Fact]
    public void Interface_configured_in_both_shapes() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
        ---
        apiVersion: v1alpha1
        kind: LinkConfig
        name: eth0
        """,
        "node.yaml:6:1: LinkConfig(eth0): interface eth0 is configured twice; first at node.yaml:4:9 — merge the two entries");

    [Fact]
    public void Hostname_with_invalid_character() => AssertDiagnostics("""
        machine:
          network:
            hostname: cp_1
        """,
        "node.yaml:3:15: machine.network.hostname: \"cp_1\" is not a valid hostname: label \"cp_1\" may only contain letters, digits and '-'");

    [Fact]
    public void Hostname_label_longer_than_63()
    {
        var label = new string('a', 64);
        AssertDiagnostics($"""
            machine:
              network:
                hostname: {label}.example.com
            """,
            $"node.yaml:3:15: machine.network.hostname: \"{label}.example.com\" is not a valid hostname: label \"{label}\" is 64 characters, at most 63 allowed");
    }

    [Fact]
    public void Hostname_longer_than_253()
    {
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 4));
        AssertDiagnostics($"""
            apiVersion: v1alpha1
            kind: HostnameConfig
            hostname: {name}
            """,
            $"node.yaml:3:11: HostnameConfig.hostname: \"{name}\" is not a valid hostname: 255 characters, at most 253 allowed");
    }

    [Fact]
    public void Hostname_set_in_both_shapes() => AssertDiagnostics("""
        machine:
          network:
            hostname: cp-1
        ---
        apiVersion: v1alpha1
        kind: HostnameConfig
        hostname: cp-2
        """,
        "node.yaml:7:11: HostnameConfig.hostname: hostname is already set at node.yaml:3:15; set it in one place only");

    [Fact]
    public void Nameserver_not_an_ip() => AssertDiagnostics("""
        machine:
          network:
            nameservers: [203.0.113.53, dns.example.com]
        """,
        "node.yaml:3:33: machine.network.nameservers[1]: nameserver \"dns.example.com\" is not an IP address (a resolver must be reachable without DNS)");

    [Fact]
    public void Nameserver_not_an_ip_in_ResolverConfig() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: ResolverConfig
        nameservers:
          - address: 1.1.1
        """,
        "node.yaml:4:14: ResolverConfig.nameservers[0].address: nameserver \"1.1.1\" is not an IP address (a resolver must be reachable without DNS)");

    [Fact]
    public void Search_domain_invalid() => AssertDiagnostics("""
        machine:
          network:
            searchDomains: [-bad.example.com]
        """,
        "node.yaml:3:21: machine.network.searchDomains[0]: \"-bad.example.com\" is not a valid search domain: label \"-bad\" must not start or end with '-'");

    [Fact]
    public void Vip_not_an_ip() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                vip: {ip: 192.0.2}
        """,
        "node.yaml:5:19: machine.network.interfaces[0].vip.ip: \"192.0.2\" is not a valid IP address");

    [Fact]
    public void Vip_declared_twice() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                vip: {ip: 192.0.2.10}
        ---
        apiVersion: v1alpha1
        kind: Layer2VIPConfig
        name: 192.0.2.10
        link: eth0
        """,
        "node.yaml:9:7: Layer2VIPConfig(192.0.2.10).name: VIP 192.0.2.10 is already declared at node.yaml:5:19; declare each VIP once");

    [Fact]
    public void Vip_equal_to_a_static_address() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                addresses: [192.0.2.10/24]
                vip: {ip: 192.0.2.10}
        """,
        "node.yaml:6:19: machine.network.interfaces[0].vip.ip: VIP 192.0.2.10 is also a static address on eth0 (node.yaml:5:21); a VIP must be an address no node holds permanently");

    [Fact]
    public void Interface_with_neither_name_nor_selector() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - mtu: 1500
        """,
        "node.yaml:4:9: machine.network.interfaces[0]: each interface needs either \"interface: NAME\" or a \"deviceSelector\"");

    [Fact]
    public void Interface_with_both_name_and_selector() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                deviceSelector: {driver: ixgbe}
        """,
        "node.yaml:5:25: machine.network.interfaces[0].deviceSelector: set either interface or deviceSelector, not both");

    [Fact]
    public void Wireguard_bad_keys_allowed_ips_and_endpoint() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: wg0
                wireguard:
                  privateKey: notakey
                  peers:
                    - publicKey: AAAA
                      endpoint: 198.51.100.7
                      allowedIPs: [10.0.0.0/33]
        """,
        "node.yaml:6:23: machine.network.interfaces[0].wireguard.privateKey: privateKey is not valid base64 (generate one with `wg genkey`)",
        "node.yaml:8:26: machine.network.interfaces[0].wireguard.peers[0].publicKey: publicKey decodes to 3 bytes; a WireGuard key is exactly 32 bytes",
        "node.yaml:9:25: machine.network.interfaces[0].wireguard.peers[0].endpoint: \"198.51.100.7\" is not host:port: the port is missing",
        "node.yaml:10:28: machine.network.interfaces[0].wireguard.peers[0].allowedIPs[0]: \"10.0.0.0/33\" is not a valid CIDR prefix: prefix length \"33\" must be 0..32");

    [Fact]
    public void Unknown_key_deep_inside_machine_network() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - interface: eth0
                vlans:
                  - vlanId: 10
                    adresses: [192.0.2.1/24]
        """,
        "node.yaml:7:13: machine.network.interfaces[0].vlans[0].adresses: unknown key \"adresses\"; did you mean \"addresses\"?");

    [Fact]
    public void Unknown_key_in_a_network_document() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: LinkConfig
        name: eth0
        mtuu: 9000
        """,
        "node.yaml:4:1: LinkConfig(eth0).mtuu: unknown key \"mtuu\"; did you mean \"mtu\"?");

    [Fact]
    public void Wrong_yaml_types_name_what_was_expected() => AssertDiagnostics("""
        machine:
          network:
            nameservers: 203.0.113.53
            interfaces:
              - interface: eth0
                mtu: big
                dhcp: sometimes
                routes: {gateway: 192.0.2.1}
        """,
        "node.yaml:3:18: machine.network.nameservers: expected a list of IP addresses, got \"203.0.113.53\"",
        "node.yaml:6:14: machine.network.interfaces[0].mtu: expected MTU as a whole number (68..65535), got \"big\"",
        "node.yaml:7:15: machine.network.interfaces[0].dhcp: expected true or false, got \"sometimes\"",
        "node.yaml:8:17: machine.network.interfaces[0].routes: expected a list of routes, got a mapping");

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var result = Parse("""
            machine:
              network:
                hostname: bad_name
                interfaces:
                  - interface: eth0
                    mtu: 10
                    addresses: [192.0.2.1]
                    vlans: [{vlanId: 5000}]
            fabric:
              api: {listen: nowhere}
            """);
        Assert.Null(result.Config);
        Assert.Equal([3, 6, 7, 8, 10], result.Errors.Select(d => d.Location.Line).ToArray());
    }
}
