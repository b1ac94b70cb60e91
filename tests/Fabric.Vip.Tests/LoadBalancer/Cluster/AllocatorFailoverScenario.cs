using System.Net;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Node;
using Xunit.Abstractions;

namespace Fabric.Vip.Tests.LoadBalancer.Cluster;

/// <summary>Three nodes, one allocator: services keep coming while the allocator's node crashes (or leaves); the
/// allocator starts again on another node from the shared journal, and every node ends up showing every service with
/// its own address, the ones shown before keeping theirs.</summary>
public static class AllocatorFailoverScenario
{
    public enum Departure { Crash, Leave }

    private const string PoolCidr = "198.51.100.0/25";
    private static readonly TimeSpan AfterFailover = TimeSpan.FromSeconds(90);

    internal static async Task RunAsync(PersistenceSettings journal, string stateDir, Departure departure, ITestOutputHelper output)
    {
        await using var cluster = await LbClusterHarness.StartAsync(3, journal, stateDir);
        var generation = 0L;
        // Services come in a random order and some go, so the addresses depend on the history: an allocator that
        // started over from the services alone would place them differently.
        var arrivals = new Queue<string>(Enumerable.Range(0, 90).Select(i => $"svc-{i:000}").OrderBy(_ => Random.Shared.Next()));
        var present = new List<string>();
        void Publish(int add, int remove = 0)
        {
            present.RemoveRange(0, remove);
            for (var i = 0; i < add; i++) present.Add(arrivals.Dequeue());
            cluster.Publish(Config(present), ++generation);
        }

        Publish(20);
        foreach (var n in cluster.Nodes) await AllAllocatedAsync(n, present.Count, TimeSpan.FromSeconds(30));
        var leader = await cluster.AllocatorNodeAsync() ?? throw new InvalidOperationException("no node runs the allocator");
        Assert.Equal(0, leader.Index); // the oldest node

        // Every address any node shows was journaled before it was sent, so none may ever change: sample all views.
        var shown = new Dictionary<string, string>();
        var changed = new List<string>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                foreach (var n in cluster.Alive)
                {
                    Dictionary<string, ServiceState> view;
                    try { view = await LbClusterHarness.ServicesAsync(n); }
                    catch (Exception) { continue; } // the node is going
                    foreach (var twice in view.SelectMany(v => v.Value.Ips.Select(ip => (Ip: ip, Service: v.Key))).GroupBy(x => x.Ip).Where(g => g.Count() > 1))
                        changed.Add($"{twice.Key} held by {string.Join(" and ", twice.Select(x => x.Service))} on node {n.Index}");
                    foreach (var (service, state) in view.Where(v => v.Value.Ips.Count > 0))
                    {
                        var ips = string.Join(",", state.Ips);
                        if (!shown.TryAdd(service, ips) && shown[service] != ips) changed.Add($"{service}: {shown[service]} then {ips} on node {n.Index}");
                    }
                }
                await Task.Delay(20);
            }
        });

        for (var i = 0; i < 4; i++)
        {
            Publish(add: 5, remove: i == 2 ? 3 : 0);
            await Task.Delay(10);
        }
        var gone = departure == Departure.Crash
            ? cluster.CrashAsync(leader)
            : CoordinatedShutdown.Get(leader.System).Run(CoordinatedShutdown.ClusterLeavingReason.Instance);
        var departed = DateTime.UtcNow;
        for (var i = 0; i < 8; i++)
        {
            Publish(add: 5, remove: i == 3 ? 2 : 0);
            await Task.Delay(100);
        }
        await gone;

        var final = new List<Dictionary<string, ServiceState>>();
        foreach (var n in cluster.Alive) final.Add(await AllAllocatedAsync(n, present.Count, AfterFailover));
        output.WriteLine($"{departure} of node {leader.Index}: all {present.Count} services shown on every other node {(DateTime.UtcNow - departed).TotalSeconds:F1} s later");
        // A leaving node's allocator may have served every service before it handed over, so the new one can still
        // be starting when the services are all shown.
        var moved = await LbClusterHarness.UntilAsync(cluster.AllocatorNodeAsync, n => n is not null,
            "the allocator on a node that stayed", TimeSpan.FromSeconds(30), _ => "none");
        Assert.NotEqual(leader.Index, moved!.Index);

        var view = final[0];
        var doubled = view.SelectMany(s => s.Value.Ips.Select(ip => (Ip: ip, Service: s.Key))).GroupBy(x => x.Ip).Where(g => g.Count() > 1).ToList();
        Assert.True(doubled.Count == 0, "addresses held twice: " + string.Join("; ", doubled.Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Service))}")));
        Assert.True(Fabric.Actors.IpPrefix.TryParse(PoolCidr, out var pool, out _));
        Assert.All(view.Values.SelectMany(s => s.Ips), ip => Assert.True(pool.Contains(IPAddress.Parse(ip)), $"{ip} outside {PoolCidr}"));
        await sampling.CancelAsync();
        await sampler;
        Assert.True(changed.Count == 0, "shown addresses changed or doubled: " + string.Join("; ", changed));
        var keys = present.Select(name => $"default/{name}").ToHashSet();
        Assert.Equal(keys.Order(StringComparer.Ordinal), view.Keys.Order(StringComparer.Ordinal));
        foreach (var (service, ips) in shown.Where(s => keys.Contains(s.Key)))
            Assert.True(ips == string.Join(",", view[service].Ips), $"{service} was shown with {ips}, now {string.Join(",", view[service].Ips)}");
        foreach (var other in final.Skip(1))
            Assert.Equal(Render(view), Render(other));
    }

    private static string Render(Dictionary<string, ServiceState> services) =>
        string.Join(" ", services.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={string.Join(",", s.Value.Ips)}"));

    internal static Task<Dictionary<string, ServiceState>> AllAllocatedAsync(LbClusterHarness.Node node, int count, TimeSpan within) =>
        LbClusterHarness.UntilAsync(() => LbClusterHarness.ServicesAsync(node),
            s => s.Count == count && s.Values.All(v => v.Ips.Count == 1),
            $"{count} services with an address on node {node.Index}", within,
            s => string.Join(" ", s.Values.OrderBy(v => v.Service, StringComparer.Ordinal).Select(v => $"{v.Service}={string.Join(",", v.Ips)}{v.Error}")));

    public static MachineConfig Config(IEnumerable<string> services)
    {
        var documents = new List<string>
        {
            $$"""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: public, namespace: metallb-system}
            spec:
              addresses: [{{PoolCidr}}]
            """,
        };
        foreach (var name in services)
            documents.Add($$"""
                apiVersion: v1
                kind: Service
                metadata: {name: {{name}}, namespace: default}
                spec:
                  type: LoadBalancer
                  ports: [{port: 80, protocol: TCP}]
                """);
        var result = ConfigLoader.Parse(string.Join("\n---\n", documents), "lb.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Config!;
    }
}
