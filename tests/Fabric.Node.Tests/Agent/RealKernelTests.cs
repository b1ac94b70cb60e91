using System.Text.Json;
using Fabric.Node.Tests.Support;
using static Fabric.Node.Tests.Support.Eventually;

namespace Fabric.Node.Tests.Agent;

/// <summary>The agent against the real kernel, in a network namespace with veth links, as an operator runs it.</summary>
[Trait("Category", "Kernel")]
public sealed class RealKernelTests : IAsyncLifetime
{
    private NetworkNamespace ns = null!;
    private AgentProcess? agent;
    private readonly string dir = Directory.CreateTempSubdirectory("fabric-kernel-").FullName;
    private readonly int port = 51000 + Random.Shared.Next(0, 2000);

    public async Task InitializeAsync()
    {
        ns = await NetworkNamespace.CreateAsync("fnode");
        await ns.RunAsync("ip link add eth0 type veth peer name peer0");
        await ns.RunAsync("ip link add eth1 type veth peer name peer1");
        await ns.RunAsync("ip link set peer0 up");
        await ns.RunAsync("ip link set peer1 up");
    }

    public async Task DisposeAsync()
    {
        if (agent is not null) await agent.DisposeAsync();
        await ns.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    private string Config(params string[] interfaces) => Render(string.Join("\n", interfaces));

    private string Render(string interfaces) => $"""
        version: v1alpha1
        machine:
          network:
            hostname: cp-1.dc1.example.com
            nameservers: [192.0.2.53, "2001:db8::53"]
            interfaces:
        {interfaces}
        fabric:
          api: {"{"}listen: "127.0.0.1:{port}"{"}"}
          stateDir: {dir}/state
          etcRoot: {dir}/root
        """;

    private const string Bridge = """
              - interface: br0
                mtu: 1400
                bridge: {interfaces: [eth0]}
                addresses: [192.0.2.11/24, "2001:db8::11/64"]
                routes:
                  - {gateway: 192.0.2.1, metric: 1024}
                  - {network: 198.51.100.0/24, gateway: 192.0.2.254, metric: 100}
                  - {network: "2001:db8:100::/48", gateway: "2001:db8::1", metric: 200}
        """;

    private const string Eth1 = """
              - interface: eth1
                mtu: 1450
                addresses: [203.0.113.5/24]
        """;


    private Task<string> Addresses() => ns.RunAsync("ip -o addr show");
    private Task<string> Routes() => ns.RunAsync("sh -c 'ip -4 route show table all; ip -6 route show table all'");

    [Fact]
    public async Task A_bridge_with_addresses_routes_mtu_and_nameservers_converges_and_reconverges_after_edits()
    {
        agent = await AgentProcess.StartAsync(ns, await TestFiles.WriteAsync(dir, "config.yaml", Config(Bridge, Eth1)), port);

        var routes = await EventuallyAsync(Routes, r => r.Contains("2001:db8:100::/48 via 2001:db8::1")
            && r.Contains("default via 192.0.2.1") && r.Contains("198.51.100.0/24 via"), "all routes");
        Assert.Contains("default via 192.0.2.1 dev br0 proto 70 metric 1024", routes);
        Assert.Contains("198.51.100.0/24 via 192.0.2.254 dev br0 proto 70 metric 100", routes);
        var addresses = await Addresses();
        Assert.Contains("br0    inet 192.0.2.11/24", addresses);
        Assert.Contains("br0    inet6 2001:db8::11/64", addresses);
        Assert.Contains("eth1    inet 203.0.113.5/24", addresses);
        // Enslaving eth0 makes the kernel lower the bridge's MTU to its port's; the link controller sets it back.
        var br0 = await EventuallyAsync(() => ns.RunAsync("ip -d link show br0"), l => l.Contains("mtu 1400"), "br0 MTU 1400");
        Assert.Contains("bridge", br0);
        await EventuallyAsync(() => ns.RunAsync("ip link show eth0"), l => l.Contains("master br0") && l.Contains(",UP"), "eth0 in br0, up");
        Assert.Contains("mtu 1450", await ns.RunAsync("ip link show eth1"));
        Assert.Equal("cp-1", await agent.HostnameAsync());
        var resolv = await File.ReadAllTextAsync(Path.Combine(dir, "root/etc/resolv.conf"));
        Assert.Contains("nameserver 192.0.2.53\nnameserver 2001:db8::53\nsearch dc1.example.com\n", resolv);

        // Status follows the kernel: the API and the CLI report what is really there.
        var status = await agent.GetJsonAsync("/v1/resources/addresses/br0/192.0.2.11/24");
        Assert.Equal("br0", JsonDocument.Parse(status).RootElement[0].GetProperty("spec").GetProperty("linkName").GetString());
        var (getCode, table) = await agent.CliAsync("get routes");
        Assert.True(getCode == 0, table);
        Assert.Contains("DESTINATION", table);
        Assert.Contains("198.51.100.0/24", table);

        // Edit: new metric on the default route, the static v4 route gone, eth1's MTU changed.
        var edited = string.Join("\n", Bridge.Replace("metric: 1024", "metric: 900").Split('\n').Where(l => !l.Contains("198.51.100.0/24")));
        var (code, reply) = await agent.CliAsync($"apply {await TestFiles.WriteAsync(dir, "edit.yaml", Config(edited, Eth1.Replace("1450", "1420")))}");
        Assert.True(code == 0, reply);
        routes = await EventuallyAsync(Routes, r => r.Contains("metric 900") && !r.Contains("198.51.100.0/24"), "edited routes");
        Assert.DoesNotContain("metric 1024", routes.Split('\n').Where(l => l.StartsWith("default")).Aggregate("", (a, b) => a + b));
        await EventuallyAsync(() => ns.RunAsync("ip link show eth1"), l => l.Contains("mtu 1420"), "new MTU");
    }

    [Fact]
    public async Task Removing_an_interface_removes_only_what_Fabric_added_and_hand_edits_are_handled()
    {
        agent = await AgentProcess.StartAsync(ns, await TestFiles.WriteAsync(dir, "config.yaml", Config(Eth1)), port);
        await EventuallyAsync(Addresses, a => a.Contains("203.0.113.5/24"), "eth1 address");
        await EventuallyAsync(() => ns.RunAsync("ip link show eth1"), l => l.Contains("state UP"), "eth1 up");

        // An operator adds an address and a route by hand on the same link.
        await ns.RunAsync("ip addr add 198.18.0.9/24 dev eth1");
        await ns.RunAsync("ip route add 198.19.0.0/16 via 198.18.0.1 dev eth1 metric 5");

        // Deleting Fabric's address by hand: it comes back.
        await ns.RunAsync("ip addr del 203.0.113.5/24 dev eth1");
        await EventuallyAsync(Addresses, a => a.Contains("203.0.113.5/24"), "address restored");

        // eth1 leaves the config: Fabric's address goes, the hand-made ones stay.
        var (code, reply) = await agent.CliAsync($"apply {await TestFiles.WriteAsync(dir, "none.yaml", Config(Bridge))}");
        Assert.True(code == 0, reply);
        var addresses = await EventuallyAsync(Addresses, a => !a.Contains("203.0.113.5/24") && a.Contains("192.0.2.11/24"), "eth1 released");
        Assert.Contains("198.18.0.9/24", addresses);
        Assert.Contains("198.19.0.0/16 via 198.18.0.1 dev eth1 metric 5", await Routes());
    }

    [Fact]
    public async Task An_invalid_apply_changes_nothing_and_SIGTERM_stops_the_agent_cleanly()
    {
        agent = await AgentProcess.StartAsync(ns, await TestFiles.WriteAsync(dir, "config.yaml", Config(Eth1)), port);
        await EventuallyAsync(Addresses, a => a.Contains("203.0.113.5/24"), "eth1 address");

        var bad = Config(Eth1.Replace("203.0.113.5/24", "203.0.113.6/24"), """
                  - interface: eth0
                    addresses: [192.0.2.300/24]
            """);
        var (code, reply) = await agent.CliAsync($"apply {await TestFiles.WriteAsync(dir, "bad.yaml", bad)}");
        Assert.Equal(1, code);
        Assert.Contains("machine.network.interfaces[1].addresses[0]", reply);
        Assert.Contains("192.0.2.300", reply);
        await Task.Delay(500);
        var addresses = await Addresses();
        Assert.Contains("203.0.113.5/24", addresses);
        Assert.DoesNotContain("203.0.113.6/24", addresses);

        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(15)));
        Assert.Contains("fabric: stopped", agent.Log);
    }
}
