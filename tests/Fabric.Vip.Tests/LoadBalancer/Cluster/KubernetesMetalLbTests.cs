using System.Text.Json.Nodes;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.LoadBalancer.Node;
using Fabric.Vip.Tests.LoadBalancer.Sources.ApiServer;

namespace Fabric.Vip.Tests.LoadBalancer.Cluster;

/// <summary>A node whose pools live only in the Kubernetes API (no MetalLB document in its config file), as the agent
/// runs it: the node controller with its allocator, Kubernetes source and effective load balancer config, against the
/// in-test API server fed real Service, EndpointSlice and MetalLB objects.</summary>
public sealed class KubernetesMetalLbTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fabric-lb-metallb-").FullName;
    private readonly FakeKubernetesApiServer _api = new();

    public Task InitializeAsync() => _api.StartAsync();

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private async Task<(LbClusterHarness Cluster, LbClusterHarness.Node Node)> StartAsync(string? metallbNamespace = null)
    {
        var journal = new PersistenceSettings { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(_dir, "lb.db")}" };
        var cluster = await LbClusterHarness.StartAsync(1, journal, _dir);
        cluster.Publish(Config(metallbNamespace), 1);
        return (cluster, cluster.Nodes[0]);
    }

    /// <summary>Pool "public" and service web in the API; returns once the node has given web its ingress.</summary>
    private async Task<(LbClusterHarness Cluster, LbClusterHarness.Node Node)> StartServingWebAsync()
    {
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.10-198.51.100.19"));
        _api.Put("services", KubeObjects.Service("web"));
        var (cluster, node) = await StartAsync();
        try { await LbClusterHarness.UntilAsync(() => Ingress("default", "web").Count == 1, "web's ingress"); }
        catch { await cluster.DisposeAsync(); throw; }
        return (cluster, node);
    }

    [Fact]
    public async Task Pools_only_in_the_API_serve_its_services_and_a_pool_created_later_serves_the_service_waiting_for_it()
    {
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.10-198.51.100.19"));
        _api.Put("l2advertisements", KubeObjects.L2Advertisement("public", "public"));
        _api.Put("services", KubeObjects.Service("web"));
        _api.Put("services", KubeObjects.Service("dns", "infra", port: 53, annotations: new() { ["metallb.io/address-pool"] = "later" }));
        var (cluster, node) = await StartAsync();
        await using var _ = cluster;

        await LbClusterHarness.UntilAsync(() => Ingress("default", "web").Count == 1, "web's ingress from the API's pool");
        Assert.StartsWith("198.51.100.1", Ingress("default", "web")[0]);
        var waiting = await LbClusterHarness.UntilAsync(() => LbClusterHarness.ServicesAsync(node), s => s.ContainsKey("infra/dns"), "dns's state");
        Assert.Contains("later", waiting["infra/dns"].Error);
        Assert.Empty(Ingress("infra", "dns"));

        // The node's one load balancer config holds the API's objects, and says where each came from.
        var effective = await ConfigAsync(node);
        Assert.Equal(["IPAddressPool/public (k8s)", "L2Advertisement/public (k8s)"], effective.Objects);
        Assert.Equal(["public"], effective.Config.L2Advertisements.Select(a => a.Name));
        Assert.Equal("applied", (await SourceStateAsync(node, LoadBalancerConfigSourceState.Kubernetes)).State);

        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("later", "203.0.113.0/28"));
        await LbClusterHarness.UntilAsync(() => Ingress("infra", "dns").Count == 1, "dns's ingress from the pool created later");
        Assert.StartsWith("203.0.113.", Ingress("infra", "dns")[0]);
    }

    [Fact]
    public async Task An_invalid_API_set_keeps_the_last_good_config_and_says_which_object_and_field_in_fabric_get_and_an_Event()
    {
        var (cluster, node) = await StartServingWebAsync();
        await using var _ = cluster;
        var good = await ConfigAsync(node);

        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("clash", "198.51.100.16/29"));
        _api.Put("services", KubeObjects.Service("api", port: 8443));
        var state = await LbClusterHarness.UntilAsync(() => SourceStateAsync(node, LoadBalancerConfigSourceState.Kubernetes),
            s => s.State.StartsWith("invalid"), "the kubernetes source's state to say invalid", describe: s => s.State);
        var error = Assert.Single(state.Errors);
        Assert.StartsWith("k8s:ipaddresspool/clash: IPAddressPool(clash).spec.addresses[0]: 198.51.100.16/29 overlaps", error);
        Assert.Equal(good.Version, (await ConfigAsync(node)).Version);
        // The leader puts a Warning Event on the wrong object.
        await LbClusterHarness.UntilAsync(() => _api.Events.Any(e => e["reason"]!.GetValue<string>() == "InvalidConfiguration"), "the Warning Event");
        var warning = _api.Events.Single(e => e["reason"]!.GetValue<string>() == "InvalidConfiguration");
        Assert.Equal(("IPAddressPool", "clash"), (warning["involvedObject"]!["kind"]!.GetValue<string>(), warning["involvedObject"]!["name"]!.GetValue<string>()));
        // Services are still served from the last good pools.
        await LbClusterHarness.UntilAsync(() => Ingress("default", "api").Count == 1, "api's ingress from the kept pool");
        Assert.StartsWith("198.51.100.1", Ingress("default", "api")[0]);

        _api.Delete("ipaddresspools", "metallb-system", "clash");
        state = await LbClusterHarness.UntilAsync(() => SourceStateAsync(node, LoadBalancerConfigSourceState.Kubernetes),
            s => s.State == "applied", "the kubernetes source's state to say applied", describe: s => s.State);
        Assert.Empty(state.Errors);
    }

    [Fact]
    public async Task A_pool_deleted_from_the_API_leaves_its_services_their_addresses_with_a_warning()
    {
        var (cluster, node) = await StartServingWebAsync();
        await using var _ = cluster;
        var ip = Ingress("default", "web")[0];

        _api.Delete("ipaddresspools", "metallb-system", "public");
        var shown = await LbClusterHarness.UntilAsync(() => LbClusterHarness.ServicesAsync(node), s => s["default/web"].Warning.Length > 0,
            "web's warning", describe: s => string.Join("; ", s.Values));
        Assert.Equal([ip], shown["default/web"].Ips);
        Assert.Contains("IPAddressPool public no longer exists", shown["default/web"].Warning);
        await Task.Delay(500);
        Assert.Equal([ip], Ingress("default", "web"));
    }

    [Fact]
    public async Task Same_named_objects_in_another_namespace_are_no_conflict_and_serve_nothing()
    {
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.10-198.51.100.19"));
        _api.Put("l2advertisements", KubeObjects.L2Advertisement("public", "public"));
        // A tenant's copies (an old install, a chart's leftovers): same names, overlapping addresses, and a pool of their own.
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.0/24").In("tenant"));
        _api.Put("l2advertisements", KubeObjects.L2Advertisement("public", "public").In("tenant"));
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("tenant-pool", "203.0.113.0/28").In("tenant"));
        _api.Put("services", KubeObjects.Service("web"));
        _api.Put("services", KubeObjects.Service("app", "tenant", port: 8080, annotations: new() { ["metallb.io/address-pool"] = "tenant-pool" }));
        var (cluster, node) = await StartAsync();
        await using var _ = cluster;

        await LbClusterHarness.UntilAsync(() => Ingress("default", "web").Count == 1, "web's ingress from metallb-system's pool");
        Assert.StartsWith("198.51.100.1", Ingress("default", "web")[0]);
        var state = await SourceStateAsync(node, LoadBalancerConfigSourceState.Kubernetes);
        Assert.Equal("applied", state.State);
        Assert.Empty(state.Errors);
        Assert.Equal(["IPAddressPool/public (k8s)", "L2Advertisement/public (k8s)"], (await ConfigAsync(node)).Objects);
        // The pool only in the tenant's namespace does not exist for Fabric, as for MetalLB.
        var waiting = await LbClusterHarness.UntilAsync(() => LbClusterHarness.ServicesAsync(node), s => s.ContainsKey("tenant/app"), "app's state");
        Assert.Contains("tenant-pool", waiting["tenant/app"].Error);
        Assert.Empty(Ingress("tenant", "app"));
    }

    [Fact]
    public async Task MetalLb_objects_come_from_the_configured_metallbNamespace()
    {
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "203.0.113.0/28").In("lb"));
        _api.Put("ipaddresspools", KubeObjects.IpAddressPool("public", "198.51.100.10-198.51.100.19"));
        _api.Put("services", KubeObjects.Service("web"));
        var (cluster, node) = await StartAsync(metallbNamespace: "lb");
        await using var _ = cluster;

        await LbClusterHarness.UntilAsync(() => Ingress("default", "web").Count == 1, "web's ingress from lb's pool");
        Assert.StartsWith("203.0.113.", Ingress("default", "web")[0]);
        Assert.Equal(["IPAddressPool/public (k8s)"], (await ConfigAsync(node)).Objects);
        Assert.Equal(0, _api.Lists("ipaddresspools", "metallb-system"));
    }

    private static async Task<LoadBalancerConfigSpec> ConfigAsync(LbClusterHarness.Node node) =>
        await LbClusterHarness.UntilAsync(async () => (await node.Store.Ask<GetResult>(new Get(LoadBalancerResources.ConfigKey), TimeSpan.FromSeconds(5))).Resource?.Spec as LoadBalancerConfigSpec,
            s => s is not null, "the load balancer config") ?? throw new InvalidOperationException();

    private static async Task<LoadBalancerConfigSourceState> SourceStateAsync(LbClusterHarness.Node node, string source)
    {
        var key = new ResourceKey(LoadBalancerResources.ConfigSource.Namespace, LoadBalancerResources.ConfigSource.Name, source);
        return await LbClusterHarness.UntilAsync(async () => (await node.Store.Ask<GetResult>(new Get(key), TimeSpan.FromSeconds(5))).Resource?.Spec as LoadBalancerConfigSourceState,
            s => s is not null, $"the {source} source's state") ?? throw new InvalidOperationException();
    }

    private List<string> Ingress(string ns, string name) =>
        _api.Get("services", ns, name)?["status"]?["loadBalancer"]?["ingress"] is JsonArray ingress
            ? ingress.Select(i => i!["ip"]!.GetValue<string>()).ToList()
            : [];

    private MachineConfig Config(string? metallbNamespace)
    {
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        _api.WriteKubeconfig(kubeconfig);
        var result = ConfigLoader.Parse($$"""
            version: v1alpha1
            machine:
              network:
                hostname: node0
            fabric:
              loadBalancer:
                kubernetes: {kubeconfig: {{kubeconfig}}{{(metallbNamespace is null ? "" : $", metallbNamespace: {metallbNamespace}")}}}
            """, "node0.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Config!;
    }
}
