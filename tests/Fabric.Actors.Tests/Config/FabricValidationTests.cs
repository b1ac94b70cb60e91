using static Fabric.Actors.Tests.Config.ConfigTestHelpers;

namespace Fabric.Actors.Tests.Config;

/// <summary>One test per rule of the fabric: section, plus document-level problems.</summary>
public class FabricValidationTests
{
    [Fact]
    public void Api_listen_not_host_port() => AssertDiagnostics("""
        fabric:
          api:
            listen: localhost
        """,
        "node.yaml:3:13: fabric.api.listen: \"localhost\" is not host:port: the port is missing");

    [Fact]
    public void Api_listen_ipv6_without_brackets() => AssertDiagnostics("""
        fabric:
          api: {listen: "::1:50000"}
        """,
        "node.yaml:2:17: fabric.api.listen: \"::1:50000\" is not host:port: put an IPv6 address in brackets, e.g. [::1]:50000");

    [Fact]
    public void Cluster_empty_name_bad_listen_and_bad_seed() => AssertDiagnostics("""
        fabric:
          cluster:
            name: ""
            listen: 192.0.2.1:99999
            seeds: [192.0.2.2]
        """,
        "node.yaml:3:11: fabric.cluster.name: cluster name is required and must not be empty; every node of one cluster uses the same name",
        "node.yaml:4:13: fabric.cluster.listen: \"192.0.2.1:99999\" is not host:port: port \"99999\" must be 1..65535",
        "node.yaml:5:13: fabric.cluster.seeds[0]: \"192.0.2.2\" is not host:port: the port is missing");

    [Fact]
    public void Lease_duration_not_longer_than_renew_interval() => AssertDiagnostics("""
        fabric:
          cluster:
            name: dc1
            listen: 192.0.2.1:4053
            lease:
              duration: 500ms
              renewInterval: 500ms
        """,
        "node.yaml:7:22: fabric.cluster.lease.renewInterval: renewInterval 500ms must be shorter than the lease duration 500ms, or the lease lapses before it is renewed");

    [Fact]
    public void Lease_drift_margin_and_announce_refresh_ranges() => AssertDiagnostics("""
        fabric:
          cluster:
            name: dc1
            listen: 192.0.2.1:4053
            lease: {driftMargin: 5}
            announce: {refresh: 0s}
        """,
        "node.yaml:5:26: fabric.cluster.lease.driftMargin: driftMargin (a fraction such as 0.05) must be between 0 and 0.5, got 5",
        "node.yaml:6:25: fabric.cluster.announce.refresh: refresh must be longer than 0s: it is how often an owned VIP is re-announced");

    [Fact]
    public void Unknown_key_under_fabric() => AssertDiagnostics("""
        fabric:
          bgpp: {}
          color: blue
        """,
        "node.yaml:2:3: fabric.bgpp: unknown key \"bgpp\"; did you mean \"bgp\"?",
        "node.yaml:3:3: fabric.color: unknown key \"color\" (allowed here: api, stateDir, etcRoot, nodeName, nodeLabels, cluster, persistence, bgp, loadBalancer)");

    [Fact]
    public void Node_labels_are_read_as_a_map_of_strings()
    {
        var config = ParseValid("""
            fabric:
              nodeLabels: {rack: r1, topology.kubernetes.io/zone: dc1-a, spare: ""}
            """);
        Assert.Equal(new Dictionary<string, string> { ["rack"] = "r1", ["topology.kubernetes.io/zone"] = "dc1-a", ["spare"] = "" }, config.Fabric.NodeLabels);
    }

    [Fact]
    public void Node_label_without_a_value() => AssertDiagnostics("""
        fabric:
          nodeLabels:
            rack:
        """,
        "node.yaml:3:5: fabric.nodeLabels: label rack has no value; write rack: \"\" for an empty one");

    [Fact]
    public void Unknown_persistence_provider() => AssertDiagnostics("""
        fabric:
          persistence: {provider: mysql}
        """,
        "node.yaml:2:27: fabric.persistence.provider: unknown provider \"mysql\" (valid: sqlite, postgresql)");

    [Fact]
    public void Load_balancer_kubernetes_needs_a_way_to_the_api_server() => AssertDiagnostics("""
        fabric:
          loadBalancer:
            kubernetes: {loadBalancerClass: example.com/lb}
        """,
        "node.yaml:3:17: fabric.loadBalancer.kubernetes: say how to reach the API server: kubeconfig: /path/to/kubeconfig, or inCluster: true when Fabric runs in a pod");

    [Fact]
    public void Load_balancer_kubernetes_kubeconfig_and_in_cluster_exclude_each_other() => AssertDiagnostics("""
        fabric:
          loadBalancer:
            kubernetes:
              kubeconfig: /etc/kubernetes/admin.conf
              inCluster: true
        """,
        "node.yaml:5:18: fabric.loadBalancer.kubernetes.inCluster: inCluster: true and kubeconfig exclude each other: use the pod's service account or a kubeconfig file, not both");

    [Fact]
    public void Load_balancer_kubernetes_relative_kubeconfig_and_empty_class() => AssertDiagnostics("""
        fabric:
          loadBalancer:
            kubernetes:
              kubeconfig: admin.conf
              loadBalancerClass: ""
        """,
        "node.yaml:4:19: fabric.loadBalancer.kubernetes.kubeconfig: must be an absolute path (starting with /), got \"admin.conf\"",
        "node.yaml:5:26: fabric.loadBalancer.kubernetes.loadBalancerClass: loadBalancerClass must not be empty; leave it out to serve services without a class");

    [Fact]
    public void Load_balancer_kubernetes_reads_MetalLb_objects_unless_told_not_to()
    {
        Assert.True(ParseValid("""
            fabric:
              loadBalancer:
                kubernetes: {inCluster: true}
            """).Fabric.LoadBalancer!.Kubernetes!.MetallbObjects);
        Assert.False(ParseValid("""
            fabric:
              loadBalancer:
                kubernetes: {inCluster: true, metallbObjects: false}
            """).Fabric.LoadBalancer!.Kubernetes!.MetallbObjects);
    }

    [Fact]
    public void Load_balancer_kubernetes_reads_MetalLb_objects_from_metallb_system_unless_told_another_namespace()
    {
        Assert.Equal("metallb-system", ParseValid("fabric: {loadBalancer: {kubernetes: {inCluster: true}}}")
            .Fabric.LoadBalancer!.Kubernetes!.MetallbNamespace);
        Assert.Equal("lb-0", ParseValid("""
            fabric:
              loadBalancer:
                kubernetes: {inCluster: true, metallbNamespace: lb-0}
            """).Fabric.LoadBalancer!.Kubernetes!.MetallbNamespace);
    }

    [Fact]
    public void Load_balancer_kubernetes_metallb_namespace_must_be_a_namespace_name() => AssertDiagnostics("""
        fabric:
          loadBalancer:
            kubernetes:
              inCluster: true
              metallbNamespace: MetalLB_System
        """,
        "node.yaml:5:25: fabric.loadBalancer.kubernetes.metallbNamespace: \"MetalLB_System\" is not a valid namespace name: only lowercase letters, digits and '-' are allowed (an RFC 1123 label); it names the namespace MetalLB runs in, e.g. metallb-system");

    [Theory]
    [InlineData("\"\"", "the namespace name is empty")]
    [InlineData("-lb", "\"-lb\" is not a valid namespace name: it must start and end with a letter or digit")]
    [InlineData("metallb.system", "\"metallb.system\" is not a valid namespace name: only lowercase letters, digits and '-' are allowed (an RFC 1123 label)")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234",
        "\"a234567890123456789012345678901234567890123456789012345678901234\" is not a valid namespace name: 64 characters, at most 63 allowed")]
    public void Load_balancer_kubernetes_metallb_namespace_rejects(string yaml, string problem) => AssertDiagnostics($$"""
        fabric:
          loadBalancer:
            kubernetes: {inCluster: true, metallbNamespace: {{yaml}}}
        """,
        $"node.yaml:3:53: fabric.loadBalancer.kubernetes.metallbNamespace: {problem}; it names the namespace MetalLB runs in, e.g. metallb-system");

    [Fact]
    public void Load_balancer_kubernetes_context_needs_a_kubeconfig() => AssertDiagnostics("""
        fabric:
          loadBalancer:
            kubernetes: {inCluster: true, context: admin}
        """,
        "node.yaml:3:44: fabric.loadBalancer.kubernetes.context: context names a context of the kubeconfig file; it needs kubeconfig");

    [Fact]
    public void Load_balancer_kubernetes_settings_are_read()
    {
        var config = ParseValid("""
            fabric:
              loadBalancer:
                kubernetes: {kubeconfig: /etc/kubernetes/admin.conf, context: admin@dc1, loadBalancerClass: example.com/lb}
            """);
        var k8s = config.Fabric.LoadBalancer!.Kubernetes!;
        Assert.Equal("/etc/kubernetes/admin.conf", k8s.Kubeconfig);
        Assert.Equal("admin@dc1", k8s.Context);
        Assert.Equal("example.com/lb", k8s.LoadBalancerClass);
        Assert.False(k8s.InCluster);
        Assert.True(ParseValid("fabric: {loadBalancer: {kubernetes: {inCluster: true}}}").Fabric.LoadBalancer!.Kubernetes!.InCluster);
    }

    [Fact]
    public void Bgp_asn_out_of_range() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 4294967296
            routerId: 203.0.113.2
        """,
        "node.yaml:3:10: fabric.bgp.asn: ASN must be 1..4294967295, got 4294967296");

    [Fact]
    public void Bgp_asn_zero() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 0
            routerId: 203.0.113.2
        """,
        "node.yaml:3:10: fabric.bgp.asn: ASN must be 1..4294967295, got 0");

    [Fact]
    public void Bgp_router_id_not_ipv4() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 64513
            routerId: "2001:db8::1"
        """,
        "node.yaml:4:15: fabric.bgp.routerId: routerId must be an IPv4 address (BGP identifiers are 32 bits, even on IPv6-only nodes), got \"2001:db8::1\"");

    [Fact]
    public void Bgp_peer_address_not_ip() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 64513
            routerId: 203.0.113.2
            peers:
              - {address: 203.0.113.300, asn: 64512}
        """,
        "node.yaml:6:19: fabric.bgp.peers[0].address: \"203.0.113.300\" is not a valid IP address");

    [Fact]
    public void Bgp_hold_time_between_zero_and_three_seconds() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 64513
            routerId: 203.0.113.2
            peers:
              - {address: 203.0.113.1, asn: 64512, holdTime: 2s}
        """,
        "node.yaml:6:54: fabric.bgp.peers[0].holdTime: holdTime must be 0 (no keepalives) or at least 3s (RFC 4271), got 2s");

    [Fact]
    public void Bgp_keepalive_not_below_hold_time() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 64513
            routerId: 203.0.113.2
            peers:
              - {address: 203.0.113.1, asn: 64512, holdTime: 9s, keepaliveTime: 9s}
        """,
        "node.yaml:6:73: fabric.bgp.peers[0].keepaliveTime: keepaliveTime 9s must be shorter than holdTime 9s (a third of it is usual), or the session drops between keepalives");

    [Fact]
    public void Bgp_bad_duration() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 64513
            routerId: 203.0.113.2
            peers:
              - {address: 203.0.113.1, asn: 64512, holdTime: 90}
        """,
        "node.yaml:6:54: fabric.bgp.peers[0].holdTime: \"90\" is not a duration; write it like 90s, 1m30s, 500ms or 2h");

    [Fact]
    public void Bgp_bad_community() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 64513
            routerId: 203.0.113.2
            advertisements:
              - prefixes: [198.51.100.0/24]
                communities: ["65536:1", no-export]
        """,
        "node.yaml:7:23: fabric.bgp.advertisements[0].communities[0]: \"65536:1\" is not a BGP community: write \"ASN:VALUE\" with both parts 0..65535, or one of no-export, no-advertise, no-export-subconfed, blackhole");

    [Fact]
    public void Bgp_bad_large_community() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 64513
            routerId: 203.0.113.2
            advertisements:
              - prefixes: [198.51.100.0/24]
                largeCommunities: ["1:2"]
        """,
        "node.yaml:7:28: fabric.bgp.advertisements[0].largeCommunities[0]: \"1:2\" is not a BGP large community: write \"GLOBAL:LOCAL1:LOCAL2\" with each part 0..4294967295");

    [Fact]
    public void Bgp_prefix_not_cidr() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 64513
            routerId: 203.0.113.2
            advertisements:
              - prefixes: [not-a-prefix]
        """,
        "node.yaml:6:20: fabric.bgp.advertisements[0].prefixes[0]: \"not-a-prefix\" is not a CIDR prefix like 192.0.2.0/24");

    [Fact]
    public void Bgp_advertisement_for_an_unknown_peer() => AssertDiagnostics("""
        fabric:
          bgp:
            asn: 64513
            routerId: 203.0.113.2
            advertisements:
              - {prefixes: [198.51.100.0/24], peers: [203.0.113.9]}
        """,
        "node.yaml:6:47: fabric.bgp.advertisements[0].peers[0]: 203.0.113.9 is not one of the configured bgp.peers");

    [Fact]
    public void Yaml_syntax_error_is_one_located_diagnostic()
    {
        var result = Parse("""
            machine:
              network:
                hostname: cp-1
               interfaces: []
            """);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Null(result.Config);
        Assert.StartsWith("node.yaml:4:", diagnostic.ToString());
        Assert.Contains("YAML syntax error", diagnostic.Message);
    }

    [Fact]
    public void Duplicate_yaml_key_is_reported()
    {
        var result = Parse("""
            machine:
              network:
                hostname: a
                hostname: b
            """);
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.StartsWith("node.yaml:4:", diagnostic.ToString());
    }

    [Fact]
    public void Extra_document_needs_metadata_name() => AssertDiagnostics("""
        apiVersion: metallb.io/v1beta1
        kind: L2Advertisement
        spec: {}
        """,
        "node.yaml:1:1: L2Advertisement needs metadata.name");

    [Fact]
    public void Unrecognised_document() => AssertDiagnostics("""
        hello: world
        """,
        "node.yaml:1:1: unrecognised document: expected a Talos machine config (machine:), a fabric: section, or apiVersion and kind");

    [Fact]
    public void Unknown_top_level_key_next_to_machine_is_a_warning() => AssertDiagnostics("""
        machine: {}
        fabirc: {}
        """,
        "node.yaml:2:9: fabirc: warning: unknown top-level key \"fabirc\" ignored");

    [Fact]
    public void Fabric_section_given_twice() => AssertDiagnostics("""
        fabric: {nodeName: a}
        ---
        fabric: {nodeName: b}
        """,
        "node.yaml:3:9: fabric: fabric settings are already given at node.yaml:1:9; keep one fabric: section");

    [Fact]
    public void Empty_file_is_an_error() => AssertDiagnostics("", "node.yaml:1:1: the file holds no YAML documents");
}
