using Fabric.Node.Tests.Support;
using static Fabric.Node.Tests.Support.Eventually;

namespace Fabric.Node.Tests.Agent;

/// <summary>A VIP on an interface chosen by deviceSelector (Talos' way of naming NICs by hardware): the agent
/// resolves the selector against the kernel's links and elects the VIP on the link it matches.</summary>
[Trait("Category", "Kernel")]
public sealed class DeviceSelectorVipTests : IAsyncLifetime
{
    private const string Mac = "02:00:5e:00:53:2a";
    private NetworkNamespace ns = null!;
    private AgentProcess? agent;
    private readonly string dir = Directory.CreateTempSubdirectory("fabric-dsvip-").FullName;
    private readonly int port = 53000 + Random.Shared.Next(0, 1000);

    public async Task InitializeAsync()
    {
        ns = await NetworkNamespace.CreateAsync("fnode");
        await ns.RunAsync("ip link add uplink0 type veth peer name peer0");
        await ns.RunAsync($"ip link set uplink0 address {Mac}");
        await ns.RunAsync("ip link set peer0 up");
    }

    public async Task DisposeAsync()
    {
        if (agent is not null) await agent.DisposeAsync();
        await ns.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task The_VIP_goes_on_the_link_its_deviceSelector_matches()
    {
        var path = Path.Combine(dir, "config.yaml");
        await File.WriteAllTextAsync(path, $$"""
            version: v1alpha1
            machine:
              network:
                hostname: ds-1
                interfaces:
                  - deviceSelector: {hardwareAddr: "02:00:5e:00:53:*"}
                    addresses: [192.0.2.21/24]
                    vip: {ip: 192.0.2.20}
            fabric:
              api: {listen: "127.0.0.1:{{port}}"}
              stateDir: {{dir}}/state
              etcRoot: {{dir}}/root
            """);
        agent = await AgentProcess.StartAsync(ns, path, port);

        // A cluster of one owns its VIP at once; the address lands on uplink0 next to the configured one.
        var vips = await EventuallyAsync(async () => (await agent.CliAsync("get vips")).Output, v => v.Contains("uplink0") && v.Contains("true"),
            "the VIP elected on uplink0");
        Assert.Contains("192.0.2.20", vips);
        await EventuallyAsync(() => ns.RunAsync("ip -o addr show dev uplink0"), a => a.Contains("192.0.2.20/32") && a.Contains("192.0.2.21/24"),
            "the VIP and the address on uplink0");
    }
}
