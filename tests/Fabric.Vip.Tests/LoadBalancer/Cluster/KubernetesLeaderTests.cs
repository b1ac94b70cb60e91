using System.Text.Json.Nodes;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Node;
using Fabric.Vip.Tests.LoadBalancer.Sources.ApiServer;
using Xunit.Abstractions;

namespace Fabric.Vip.Tests.LoadBalancer.Cluster;

/// <summary>The Kubernetes source in the node controllers of a three-node cluster: every node watches, the node running
/// the allocator alone writes status.loadBalancer.ingress and Events. Each node talks to its own copy of the API
/// (in-test servers fed the same objects), so what each node wrote is told apart. Three nodes, so the survivors of a
/// crash are a majority and the split brain resolver keeps them.</summary>
public sealed class KubernetesLeaderTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fabric-lb-k8s-").FullName;
    private readonly FakeKubernetesApiServer[] _apis = [new(), new(), new()];

    public async Task InitializeAsync()
    {
        foreach (var api in _apis)
        {
            await api.StartAsync();
            api.Put("services", KubeObjects.Service("web"));
            api.Put("services", KubeObjects.Service("dns", "infra", externalTrafficPolicy: "Local", port: 53));
            api.Put("endpointslices", KubeObjects.EndpointSlice("dns", "x7k2p", "infra", ("node2", true), ("node1", false)));
            api.Put("services", KubeObjects.Service("internal", type: "ClusterIP"));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var api in _apis) await api.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    [Fact]
    public async Task Only_the_allocator_node_writes_status_and_events_and_the_next_one_takes_over_with_the_same_addresses()
    {
        var journal = new PersistenceSettings { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(_dir, "lb.db")}" };
        var heard = new System.Collections.Concurrent.ConcurrentQueue<object>();
        await using var cluster = await LbClusterHarness.StartAsync(3, journal, _dir,
            system => [system.ActorOf(Akka.Actor.Props.Create(() => new Recorder(heard)))]);
        foreach (var n in cluster.Nodes)
            n.Store.Tell(Fabric.Actors.Resources.MachineConfigs.Publish(Config(n.Index), 1, "test"), Akka.Actor.ActorRefs.NoSender);

        // Node 0, the oldest, runs the allocator: its API gets both services' addresses, with an Event each.
        await LbClusterHarness.UntilAsync(() => Ingress(_apis[0], "default", "web").Count == 1 && Ingress(_apis[0], "infra", "dns").Count == 1,
            "node 0 to write both services' status");
        var web = Ingress(_apis[0], "default", "web");
        var dns = Ingress(_apis[0], "infra", "dns");
        Assert.NotEqual(web, dns);
        Assert.Null(_apis[0].Get("services", "default", "internal")!["status"]!["loadBalancer"]!["ingress"]);
        await LbClusterHarness.UntilAsync(() => _apis[0].Events.Count >= 2, "node 0's Events");
        Assert.All(_apis[0].Events, e =>
        {
            Assert.Equal("IPAllocated", e["reason"]!.GetValue<string>());
            Assert.Equal("node0", e["reportingInstance"]!.GetValue<string>());
        });

        // The other nodes show the same allocations, and have written nothing.
        foreach (var other in cluster.Nodes.Skip(1))
        {
            var shown = await LbClusterHarness.UntilAsync(() => LbClusterHarness.ServicesAsync(other), s => s.Count == 2, $"node {other.Index}'s services");
            Assert.Equal(web, shown["default/web"].Ips);
            Assert.Equal(dns, shown["infra/dns"].Ips);
        }
        // Every node's announcers hear the Kubernetes services, with the nodes that have ready endpoints.
        await LbClusterHarness.UntilAsync(() => heard.OfType<Fabric.Vip.LoadBalancer.ServiceSourceMessages.Snapshot>().Count() >= 3, "the announcers' snapshots");
        Assert.All(heard.OfType<Fabric.Vip.LoadBalancer.ServiceSourceMessages.Snapshot>(), snapshot =>
            Assert.Equal(["node2"], snapshot.Services.Single(x => x.Key == "infra/dns").ReadyNodes));
        await Task.Delay(500);
        Assert.All(_apis.Skip(1), api => Assert.Empty(api.StatusWrites));
        Assert.All(_apis.Skip(1), api => Assert.Empty(api.Events));

        // Node 0 fails: node 1, now the oldest, runs the allocator and writes the same addresses to its API; a new
        // service gets one too. Node 2 still writes nothing.
        await cluster.CrashAsync(cluster.Nodes[0]);
        var crashed = DateTime.UtcNow;
        await LbClusterHarness.UntilAsync(() => Ingress(_apis[1], "default", "web").Count == 1 && Ingress(_apis[1], "infra", "dns").Count == 1,
            "node 1 to write both services' status", TimeSpan.FromSeconds(60));
        output.WriteLine($"node 1 wrote the status {(DateTime.UtcNow - crashed).TotalSeconds:F1} s after node 0 crashed");
        Assert.Equal(web, Ingress(_apis[1], "default", "web"));
        Assert.Equal(dns, Ingress(_apis[1], "infra", "dns"));

        foreach (var api in _apis.Skip(1)) api.Put("services", KubeObjects.Service("api", port: 8443));
        await LbClusterHarness.UntilAsync(() => Ingress(_apis[1], "default", "api").Count == 1, "the new service's status");
        Assert.DoesNotContain(Ingress(_apis[1], "default", "api")[0], web.Concat(dns));
        Assert.Contains(_apis[1].Events, e => e["reportingInstance"]!.GetValue<string>() == "node1" && e["involvedObject"]!["name"]!.GetValue<string>() == "api");
        Assert.Empty(_apis[2].StatusWrites);
        Assert.Empty(_apis[2].Events);
    }

    private sealed class Recorder : Akka.Actor.ReceiveActor
    {
        public Recorder(System.Collections.Concurrent.ConcurrentQueue<object> heard) => ReceiveAny(heard.Enqueue);
    }

    private static List<string> Ingress(FakeKubernetesApiServer api, string ns, string name) =>
        api.Get("services", ns, name)?["status"]?["loadBalancer"]?["ingress"] is JsonArray ingress
            ? ingress.Select(i => i!["ip"]!.GetValue<string>()).ToList()
            : [];

    private MachineConfig Config(int node)
    {
        var kubeconfig = Path.Combine(_dir, $"kubeconfig{node}");
        _apis[node].WriteKubeconfig(kubeconfig);
        var result = ConfigLoader.Parse($$"""
            version: v1alpha1
            machine:
              network:
                hostname: node{{node}}
            fabric:
              loadBalancer:
                kubernetes: {kubeconfig: {{kubeconfig}}}
            ---
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: public, namespace: metallb-system}
            spec:
              addresses: [198.51.100.10-198.51.100.19]
            """, $"node{node}.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Config!;
    }
}
