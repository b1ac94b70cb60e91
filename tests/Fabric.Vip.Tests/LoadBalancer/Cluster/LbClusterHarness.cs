using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Cluster;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Node;
using Fabric.Vip.LoadBalancer.Wire;

namespace Fabric.Vip.Tests.LoadBalancer.Cluster;

/// <summary>Several cluster nodes in one process on 127.0.0.1, each an ActorSystem with its own resource store and
/// load balancer controller at /user/lb, as the agent runs them, sharing one allocator journal.</summary>
internal sealed class LbClusterHarness : IAsyncDisposable
{
    public sealed record Node(int Index, ActorSystem System, IActorRef Store);

    public readonly List<Node> Nodes = [];

    /// <summary>Fast failure detection and downing, so a crashed node's singleton moves within seconds.</summary>
    internal static Config NodeConfig(PersistenceSettings journal, string stateDir) => ConfigurationFactory.ParseString("""
        akka.loglevel = WARNING
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.cluster.failure-detector { heartbeat-interval = 300ms, acceptable-heartbeat-pause = 1500ms }
        akka.cluster.split-brain-resolver.stable-after = 2s
        akka.cluster.run-coordinated-shutdown-when-down = off
        akka.cluster.singleton.hand-over-retry-interval = 200ms
        akka.cluster.singleton-proxy.singleton-identification-interval = 200ms
        """)
        .WithFallback(ConfigurationFactory.ParseString(FabricClusterHocon.SplitBrainResolver))
        .WithFallback(ConfigurationFactory.ParseString(FabricClusterHocon.SingletonProxy))
        .WithFallback(ConfigurationFactory.ParseString(LoadBalancerWireSerializer.Hocon))
        .WithFallback(AllocatorPersistence.For(journal, stateDir));

    /// <param name="listeners">Per node, what its controller tells of the Kubernetes source (the announcers, in the agent).</param>
    public static async Task<LbClusterHarness> StartAsync(int nodes, PersistenceSettings journal, string stateDir,
        Func<ActorSystem, IReadOnlyList<IActorRef>>? listeners = null)
    {
        LoadBalancerResources.Register();
        var h = new LbClusterHarness();
        var systems = Enumerable.Range(0, nodes).Select(_ => ActorSystem.Create("fabric", NodeConfig(journal, stateDir))).ToList();
        var first = Akka.Cluster.Cluster.Get(systems[0]).SelfAddress;
        // One at a time, so the first is the oldest and runs the allocator.
        foreach (var s in systems)
        {
            await Akka.Cluster.Cluster.Get(s).JoinSeedNodesAsync([first]);
            await UntilAsync(() => Akka.Cluster.Cluster.Get(s).SelfMember.Status == MemberStatus.Up, "node up");
        }
        await UntilAsync(() => systems.All(s => Akka.Cluster.Cluster.Get(s).State.Members.Count(m => m.Status == MemberStatus.Up) == nodes), "cluster up");
        for (var i = 0; i < nodes; i++)
        {
            var store = systems[i].ActorOf(ResourceStore.Props(), "store");
            systems[i].ActorOf(LoadBalancerNodeController.Props(store, $"node{i}", listeners?.Invoke(systems[i])), LoadBalancerNodeController.Name);
            h.Nodes.Add(new Node(i, systems[i], store));
        }
        return h;
    }

    public IEnumerable<Node> Alive => Nodes.Where(n => !n.System.WhenTerminated.IsCompleted);

    public void Publish(MachineConfig config, long generation)
    {
        foreach (var n in Alive) n.Store.Tell(MachineConfigs.Publish(config, generation, "test"), ActorRefs.NoSender);
    }

    /// <summary>What `fabric get services` shows on a node: service → its ServiceState.</summary>
    public static async Task<Dictionary<string, ServiceState>> ServicesAsync(Node node)
    {
        var list = await node.Store.Ask<ListResult>(new List(LoadBalancerResources.Service.Kind), TimeSpan.FromSeconds(10));
        return list.Resources.Select(r => (ServiceState)r.Spec).ToDictionary(s => s.Service);
    }

    /// <summary>The node whose ActorSystem runs the allocator singleton now, if any.</summary>
    public async Task<Node?> AllocatorNodeAsync()
    {
        foreach (var n in Alive)
        {
            try
            {
                await n.System.ActorSelection($"/user/{LoadBalancerNodeController.Name}/{LoadBalancerNodeController.ManagerName}/{AllocatorSingleton.Name}")
                    .ResolveOne(TimeSpan.FromSeconds(1));
                return n;
            }
            catch (ActorNotFoundException) { }
        }
        return null;
    }

    /// <summary>Gone without a word: no leaving, no hand-over; the others must notice and down it.</summary>
    public Task CrashAsync(Node node) => node.System.Terminate();

    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? within = null, Func<T, string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}; last seen: {(describe is null ? value : describe(value))}");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var n in Nodes) await n.System.Terminate().WaitAsync(TimeSpan.FromSeconds(15)).ContinueWith(_ => { });
    }
}
