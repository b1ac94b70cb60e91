using Fabric.Node.Tests.Support;
using static Fabric.Node.Tests.Support.Eventually;

namespace Fabric.Node.Tests.Agent;

/// <summary>MetalLB documents and plain v1 Services in the node's config, allocated by the agent's journaled
/// allocator and shown by `fabric get`, live across `fabric apply` and across a restart.</summary>
[Trait("Category", "Kernel")]
public sealed class LoadBalancerAgentTests : IAsyncLifetime
{
    private NetworkNamespace ns = null!;
    private AgentProcess? agent;
    private readonly string dir = Directory.CreateTempSubdirectory("fabric-lb-agent-").FullName;
    private readonly int port = 55000 + Random.Shared.Next(0, 2000);

    public async Task InitializeAsync() => ns = await NetworkNamespace.CreateAsync("fnode");

    public async Task DisposeAsync()
    {
        if (agent is not null) await agent.DisposeAsync();
        await ns.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    private string Config(params string[] services) => $$"""
        version: v1alpha1
        machine:
          network:
            hostname: lb-1
        fabric:
          api: {listen: "127.0.0.1:{{port}}"}
          stateDir: {{dir}}/state
          etcRoot: {{dir}}/root
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: public, namespace: metallb-system}
        spec:
          addresses: [198.51.100.10-198.51.100.12]
        {{string.Concat(services.Select(Service))}}
        """;

    private static string Service(string name) => $$"""
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: {{name}}, namespace: default}
        spec:
          type: LoadBalancer
          ports: [{port: 443, protocol: TCP}]

        """;


    private async Task<string> GetAsync(string what) => (await agent!.CliAsync($"get {what}")).Output;

    [Fact]
    public async Task Services_get_pool_addresses_that_survive_apply_and_restart()
    {
        var path = Path.Combine(dir, "config.yaml");
        await File.WriteAllTextAsync(path, Config("web", "api"));
        agent = await AgentProcess.StartAsync(ns, path, port);

        var services = await EventuallyAsync(() => GetAsync("services"), s => s.Contains("default/web") && s.Contains("default/api"), "both services");
        Assert.Contains("198.51.100.10", services);
        Assert.Contains("198.51.100.11", services);
        // SIZE 3, USED 2, FREE 1 (after the VERSION column).
        await EventuallyAsync(() => GetAsync("ipaddresspools"),
            p => System.Text.RegularExpressions.Regex.IsMatch(p, @"public\s+\d+\s+3\s+2\s+1\s"), "the pool's use");

        // A third and fourth service: one gets the last address, the other a clear error.
        var (code, output) = await agent.CliAsync($"apply {await TestFiles.WriteAsync(dir, "more.yaml", Config("web", "api", "db", "cache"))}");
        Assert.True(code == 0, output);
        services = await EventuallyAsync(() => GetAsync("services"), s => s.Contains("default/cache") && s.Contains("default/db"), "four services");
        Assert.Contains("198.51.100.12", services);
        Assert.Contains("no available", services.ToLowerInvariant().Replace("exhausted", "no available"));

        // Restart: the journal gives every service the address it had; nothing moves (MetalLB's classic failure).
        var before = await AllocationsAsync();
        Assert.Equal(4, before.Count);
        Assert.Equal(3, before.Values.Count(ips => ips != ""));
        Assert.Equal(0, await agent.StopAsync(TimeSpan.FromSeconds(20)));
        await agent.DisposeAsync();
        agent = await AgentProcess.StartAsync(ns, path, port);
        await EventuallyAsync(() => GetAsync("services"),
            s => new[] { "default/web", "default/api", "default/db", "default/cache" }.All(s.Contains), "services after restart");
        Assert.Equal(before, await AllocationsAsync());
    }

    /// <summary>service → its addresses, as `fabric get services -o json` reports them.</summary>
    private async Task<Dictionary<string, string>> AllocationsAsync()
    {
        var json = System.Text.Json.JsonDocument.Parse(await GetAsync("services -o json")).RootElement;
        return json.EnumerateArray().ToDictionary(
            r => r.GetProperty("metadata").GetProperty("id").GetString()!,
            r => string.Join(",", r.GetProperty("spec").GetProperty("ips").EnumerateArray().Select(ip => ip.GetString())));
    }

    [Fact]
    public async Task A_bad_pool_is_refused_by_validate_and_apply_with_its_location()
    {
        var bad = await TestFiles.WriteAsync(dir, "bad.yaml", Config("web").Replace("198.51.100.10-198.51.100.12", "198.51.100.12-198.51.100.10"));
        var validate = await Shell.RunAsync($"dotnet {AgentProcess.FabricDll} validate {bad}; echo exit=$?");
        Assert.Contains("exit=1", validate);
        Assert.Contains("IPAddressPool(public).spec.addresses[0]", validate);
        Assert.Contains($"{bad}:", validate);
    }
}
