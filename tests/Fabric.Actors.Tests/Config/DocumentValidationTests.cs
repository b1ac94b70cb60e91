using static Fabric.Actors.Tests.Config.ConfigTestHelpers;

namespace Fabric.Actors.Tests.Config;

/// <summary>Required fields of the multi-document kinds, and shapes Fabric cannot normalise.</summary>
public class DocumentValidationTests
{
    [Fact]
    public void VLANConfig_needs_parent_and_id() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: VLANConfig
        name: vlan10
        """,
        "node.yaml:1:1: VLANConfig(vlan10): vlanID is required (1..4094)",
        "node.yaml:1:1: VLANConfig(vlan10): parent is required: the link the VLAN is tagged on");

    [Fact]
    public void Link_document_needs_a_name() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: DummyLinkConfig
        addresses: [{address: 198.51.100.1/32}]
        """,
        "node.yaml:1:1: DummyLinkConfig: name is required: the link DummyLinkConfig configures");

    [Fact]
    public void HCloudVIPConfig_needs_link_and_token() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: HCloudVIPConfig
        name: 192.0.2.20
        """,
        "node.yaml:1:1: HCloudVIPConfig(192.0.2.20): link is required: the link the VIP is announced on",
        "node.yaml:1:1: HCloudVIPConfig(192.0.2.20): apiToken is required for a Hetzner Cloud VIP");

    [Fact]
    public void Layer2VIPConfig_name_must_be_an_ip() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: Layer2VIPConfig
        name: api-vip
        link: eth0
        """,
        "node.yaml:3:7: Layer2VIPConfig(api-vip).name: \"api-vip\" is not a valid IP address");

    [Fact]
    public void StaticHostConfig_name_must_be_an_ip() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: StaticHostConfig
        name: api.example.com
        hostnames: [api]
        """,
        "node.yaml:3:7: StaticHostConfig(api.example.com).name: \"api.example.com\" is not a valid IP address");

    [Fact]
    public void LinkConfig_route_destination_family_mismatch() => AssertDiagnostics("""
        apiVersion: v1alpha1
        kind: LinkConfig
        name: eth0
        routes:
          - destination: 10.0.0.0/8
            gateway: "fe80::1"
        """,
        "node.yaml:6:14: LinkConfig(eth0).routes[0].gateway: gateway fe80::1 is IPv6 but destination 10.0.0.0/8 is IPv4");

    [Fact]
    public void Vlans_under_a_device_selector_are_refused_rather_than_misplaced() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - deviceSelector: {driver: ixgbe}
                vlans:
                  - vlanId: 10
        """,
        "node.yaml:6:13: machine.network.interfaces[0].vlans[0]: VLANs need a named parent: give the interface a name instead of a deviceSelector, or use a VLANConfig document");

    [Fact]
    public void Empty_device_selector() => AssertDiagnostics("""
        machine:
          network:
            interfaces:
              - deviceSelector: {}
        """,
        "node.yaml:4:25: machine.network.interfaces[0].deviceSelector: an empty deviceSelector would match every link; give at least one of busPath, hardwareAddr, permanentAddr, pciID, driver, physical");

    [Fact]
    public void Talos_document_without_kind() => AssertDiagnostics("""
        apiVersion: v1alpha1
        name: eth0
        """,
        "node.yaml:1:1: a document with apiVersion: v1alpha1 needs a kind (e.g. LinkConfig)");

    [Fact]
    public void Machine_config_of_another_version() => AssertDiagnostics("""
        version: v1alpha2
        machine: {}
        """,
        "node.yaml:1:10: version: unsupported machine config version \"v1alpha2\"; Fabric reads v1alpha1");

    [Fact]
    public void Implied_bridge_port_is_located_at_its_mention()
    {
        var config = ParseValid("""
            machine:
              network:
                interfaces:
                  - interface: br0
                    bridge:
                      interfaces:
                        - eth7
            """);
        var port = Assert.Single(config.Network.Links, l => l.Name == "eth7");
        Assert.Equal(("br0", 7, 15), (port.Master, port.Location!.Line, port.Location.Column));
    }
}
