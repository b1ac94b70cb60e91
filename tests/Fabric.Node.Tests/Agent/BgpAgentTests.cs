using Fabric.Node.Tests.Support;
using static Fabric.Node.Tests.Support.Eventually;

namespace Fabric.Node.Tests.Agent;

/// <summary>The agent's BGP speaker from config to a real BIRD router, live reconfiguration by `fabric apply`,
/// and what `fabric get` shows about it.</summary>
[Trait("Category", "Interop")]
public sealed class BgpAgentTests : AgentWithRouterTest
{
    private string Config(string advertisements) => $$"""
        version: v1alpha1
        machine:
          network:
            interfaces:
              - interface: eth0
                addresses: [203.0.113.2/24]
        fabric:
          api: {listen: "127.0.0.1:{{port}}"}
          stateDir: {{dir}}/state
          etcRoot: {{dir}}/root
          bgp:
            asn: 64513
            routerId: 203.0.113.2
            peers:
              - {address: 203.0.113.1, asn: 64512, holdTime: 9s, sourceAddress: 203.0.113.2}
            advertisements:
        {{advertisements}}
        """;


    [Fact]
    public async Task Config_to_BIRD_with_communities_then_withdrawn_by_a_live_apply()
    {
        bird = await BirdPeer.StartAsync(router, "203.0.113.1", 64512, "203.0.113.2", 64513);
        var first = Path.Combine(dir, "config.yaml");
        await File.WriteAllTextAsync(first, Config("""
                  - {prefixes: [198.51.100.1/32, 198.51.100.2/32], communities: ["64513:100"], largeCommunities: ["64513:1:2"]}
            """));
        agent = await AgentProcess.StartAsync(node, first, port);

        var route = await EventuallyAsync(() => bird.ShowAsync("show route all 198.51.100.1/32"),
            r => r.Contains("BGP.community"), "the /32 in BIRD");
        Assert.Contains("(64513,100)", route);
        Assert.Contains("(64513, 1, 2)", route);
        Assert.Contains("BGP.next_hop: 203.0.113.2", route);

        var (code, peers) = await agent.CliAsync("get bgppeers");
        Assert.True(code == 0, peers);
        Assert.Contains("203.0.113.1", peers);
        Assert.Contains("Established", peers);
        var (_, adverts) = await agent.CliAsync("get bgpadvertisements");
        Assert.Contains("198.51.100.2/32", adverts);

        var second = Path.Combine(dir, "second.yaml");
        await File.WriteAllTextAsync(second, Config("""
                  - {prefixes: [198.51.100.2/32], communities: ["64513:200"]}
            """));
        var (applyCode, applied) = await agent.CliAsync($"apply {second}");
        Assert.True(applyCode == 0, applied);

        await EventuallyAsync(() => bird.ShowAsync("show route all 198.51.100.1/32"), r => !r.Contains("198.51.100.1/32"), "withdrawal");
        var changed = await EventuallyAsync(() => bird.ShowAsync("show route all 198.51.100.2/32"), r => r.Contains("(64513,200)"), "new community");
        Assert.DoesNotContain("(64513,100)", changed);
        // Changing only advertisements does not reset the session.
        var (_, after) = await agent.CliAsync("get bgppeers -o json");
        Assert.Contains("\"establishedTransitions\": 1", after);
    }
}
