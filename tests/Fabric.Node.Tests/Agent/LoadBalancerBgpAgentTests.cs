using Fabric.Node.Tests.Support;
using static Fabric.Node.Tests.Support.Eventually;

namespace Fabric.Node.Tests.Agent;

/// <summary>MetalLB's BGP mode in the agent: IPAddressPool + BGPPeer + BGPAdvertisement + a v1 Service in the
/// node's config, no fabric.bgp at all; the service's /32 reaches a real BIRD router with its communities and
/// leaves it when a `fabric apply` drops the service.</summary>
[Trait("Category", "Interop")]
public sealed class LoadBalancerBgpAgentTests : AgentWithRouterTest
{
    private string Config(bool withService, string fabricBgp = "") => $$"""
        version: v1alpha1
        machine:
          network:
            hostname: lb-bgp-1
            interfaces:
              - interface: eth0
                addresses: [203.0.113.2/24]
        fabric:
          api: {listen: "127.0.0.1:{{port}}"}
          stateDir: {{dir}}/state
          etcRoot: {{dir}}/root
          nodeLabels: {rack: r1}
        {{fabricBgp}}
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: public, namespace: metallb-system}
        spec:
          addresses: [198.51.100.10-198.51.100.12]
        ---
        apiVersion: metallb.io/v1beta2
        kind: BGPPeer
        metadata: {name: tor, namespace: metallb-system}
        spec:
          myASN: 64513
          peerASN: 64512
          peerAddress: 203.0.113.1
          holdTime: 9s
          connectTime: 1s
          nodeSelectors:
            - matchLabels: {rack: r1}
        ---
        apiVersion: metallb.io/v1beta1
        kind: Community
        metadata: {name: aliases, namespace: metallb-system}
        spec:
          communities: [{name: edge, value: "64513:300"}]
        ---
        apiVersion: metallb.io/v1beta1
        kind: BGPAdvertisement
        metadata: {name: public, namespace: metallb-system}
        spec:
          ipAddressPools: [public]
          communities: [edge, "large:64513:1:2"]
          peers: [tor]
        {{ServiceDocument(withService)}}
        """;

    private static string ServiceDocument(bool present) => present ? Service : "";

    private const string Service = """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: default}
        spec:
          type: LoadBalancer
          ports: [{port: 443, protocol: TCP}]
        """;

    [Fact]
    public async Task Service_prefix_reaches_BIRD_with_its_communities_and_leaves_when_the_service_is_removed()
    {
        bird = await BirdPeer.StartAsync(router, "203.0.113.1", 64512, "203.0.113.2", 64513);
        agent = await AgentProcess.StartAsync(node, await TestFiles.WriteAsync(dir, "config.yaml", Config(withService: true)), port);

        var route = await EventuallyAsync(() => bird.ShowAsync("show route all 198.51.100.10/32"),
            r => r.Contains("BGP.community"), "the service /32 in BIRD");
        Assert.Contains("(64513,300)", route);
        Assert.Contains("(64513, 1, 2)", route);
        Assert.Contains("BGP.next_hop: 203.0.113.2", route);
        Assert.Contains("BGP.as_path: 64513", route);

        var (code, announced) = await agent.CliAsync("get servicebgp");
        Assert.True(code == 0, announced);
        Assert.Contains("default/web", announced);
        Assert.Contains("198.51.100.10/32", announced);
        Assert.Contains("tor/203.0.113.1", announced);
        var (_, adverts) = await agent.CliAsync("get bgpadvertisements -o yaml");
        Assert.Contains("loadbalancer", adverts);

        var (applyCode, applied) = await agent.CliAsync($"apply {await TestFiles.WriteAsync(dir, "no-service.yaml", Config(withService: false))}");
        Assert.True(applyCode == 0, applied);
        await EventuallyAsync(() => bird.ShowAsync("show route all 198.51.100.10/32"), r => !r.Contains("198.51.100.10/32"), "withdrawal");
        await EventuallyAsync(async () => (await agent.CliAsync("get servicebgp")).Output, s => !s.Contains("default/web"), "servicebgp entry gone");
        // The service went, not the peer: the session stayed up throughout.
        var (_, peers) = await agent.CliAsync("get bgppeers -o json");
        Assert.Contains("\"establishedTransitions\": 1", peers);
    }

    [Fact]
    public async Task A_bgp_peer_whose_myASN_disagrees_with_fabric_bgp_is_refused_with_its_location()
    {
        var bad = await TestFiles.WriteAsync(dir, "bad.yaml", Config(withService: true, fabricBgp: """
              bgp: {asn: 64999, routerId: 203.0.113.2}
            """));
        var validate = await Shell.RunAsync($"dotnet {AgentProcess.FabricDll} validate {bad}; echo exit=$?");
        Assert.Contains("exit=1", validate);
        Assert.Contains($"{bad}:", validate);
        Assert.Contains("BGPPeer(tor).spec.myASN: myASN 64513 disagrees with fabric.bgp.asn (64999)", validate);
    }
}
