using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Remote;
using Akka.Remote.Transport;
using Fabric.Vip.Election;
using Fabric.Vip.Election.Transport;
using Fabric.Vip.Serialization;

namespace Fabric.Vip.Tests.Election;

/// <summary>Records owner actions from every node with one shared monotonic clock.</summary>
internal sealed class ActionRecorder
{
    public readonly ConcurrentQueue<(TimeSpan At, string Node, bool Acquire, long Epoch)> Events = new();

    public IVipOwnerActions For(string node) => new Node(this, node);

    public IReadOnlyList<string> Holders()
    {
        var held = new HashSet<string>();
        foreach (var e in Events) { if (e.Acquire) held.Add(e.Node); else held.Remove(e.Node); }
        return held.ToList();
    }

    private sealed class Node(ActionRecorder r, string node) : IVipOwnerActions
    {
        public Task AcquireAsync(VipAnnouncement vip) { r.Events.Enqueue((StopwatchClock.Instance.Now, node, true, vip.Epoch)); return Task.CompletedTask; }
        public Task ReleaseAsync(VipAnnouncement vip) { r.Events.Enqueue((StopwatchClock.Instance.Now, node, false, vip.Epoch)); return Task.CompletedTask; }
        public Task RefreshAsync(VipAnnouncement vip) => Task.CompletedTask;
    }
}

/// <summary>Three cluster nodes in one process on 127.0.0.1, each with a VipRoot for one VIP.</summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    public static readonly IPAddress Vip = IPAddress.Parse("192.0.2.10");
    public readonly ActionRecorder Recorder = new();
    public readonly List<ActorSystem> Systems = [];
    public readonly List<string> Names = [];
    public readonly Dictionary<string, IActorRef> Roots = new();

    private static Config NodeConfig(int port = 0) => ConfigurationFactory.ParseString($$"""
        akka.actor.provider = cluster
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = {{port}}, applied-adapters = [trttl] }
        akka.remote.retry-gate-closed-for = 200ms
        akka.coordinated-shutdown.run-by-actor-system-terminate = off
        akka.cluster.run-coordinated-shutdown-when-down = off
        akka.loglevel = WARNING
        """)
        .WithFallback(ConfigurationFactory.ParseString(FabricHyperionSerializer.Hocon))
        .WithFallback(ConfigurationFactory.ParseString(LeaseDispatcher.Hocon));

    /// <param name="vipRoots">false: the caller starts its own electors' parents (<see cref="Roots"/> stays empty).</param>
    public static async Task<ClusterHarness> StartAsync(int nodes = 3, bool vipRoots = true)
    {
        var h = new ClusterHarness();
        for (var i = 0; i < nodes; i++) h.Systems.Add(ActorSystem.Create("fabric", NodeConfig()));
        var addresses = h.Systems.Select(s => Akka.Cluster.Cluster.Get(s).SelfAddress).ToList();
        h.Names.AddRange(addresses.Select(a => a.ToString()));
        foreach (var s in h.Systems) await Akka.Cluster.Cluster.Get(s).JoinSeedNodesAsync([addresses[0]]);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!h.Systems.All(s => Akka.Cluster.Cluster.Get(s).State.Members.Count(m => m.Status == MemberStatus.Up) == nodes))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("cluster did not come up");
            await Task.Delay(50);
        }
        if (vipRoots)
            for (var i = 0; i < nodes; i++) h.StartElector(i);
        return h;
    }

    private void StartElector(int i)
    {
        var settings = new VipElectorSettings(Vip, "eth0", Names[i], Names, LeaseTimings.Default);
        Roots[Names[i]] = Systems[i].ActorOf(
            VipRoot.Props([(settings, Recorder.For(Names[i]))], ActorRefs.Nobody, StopwatchClock.Instance), VipRoot.Name);
    }

    /// <summary>A crashed node comes back: a new incarnation at the same address joins the cluster again (while
    /// the old one may still be in the membership) and starts its elector at once, as a restarted agent does.</summary>
    public async Task RestartAsync(string name)
    {
        var i = Names.IndexOf(name);
        await Systems[i].Terminate();
        // A node coming back from a crash has lost its runtime addresses: it announces nothing.
        Recorder.Events.Enqueue((StopwatchClock.Instance.Now, name, false, 0));
        var port = Address.Parse(name).Port!.Value;
        Systems[i] = ActorSystem.Create("fabric", NodeConfig(port));
        _ = Akka.Cluster.Cluster.Get(Systems[i]).JoinSeedNodesAsync(Names.Select(Address.Parse));
        StartElector(i);
    }

    public async Task<string> WaitForOwnerAsync(Func<string, bool>? which = null, TimeSpan? within = null)
    {
        var deadline = StopwatchClock.Instance.Now + (within ?? TimeSpan.FromSeconds(10));
        while (StopwatchClock.Instance.Now < deadline)
        {
            // A crashed node never withdraws; its process (and address) is gone, so it no longer counts.
            var holders = Recorder.Holders().Where(n => !SystemOf(n).WhenTerminated.IsCompleted).ToList();
            if (holders.Count == 1 && (which is null || which(holders[0]))) return holders[0];
            await Task.Delay(2);
        }
        throw new TimeoutException($"no owner; holders now: {string.Join(", ", Recorder.Holders())}");
    }

    public ActorSystem SystemOf(string name) => Systems[Names.IndexOf(name)];

    public async Task BlackholeAsync(string isolated)
    {
        var sys = (ExtendedActorSystem)SystemOf(isolated);
        var transport = ((IRemoteActorRefProvider)sys.Provider).Transport;
        foreach (var other in Names.Where(n => n != isolated))
            await transport.ManagementCommand(new SetThrottle(Address.Parse(other), ThrottleTransportAdapter.Direction.Both, Blackhole.Instance));
        // Lease traffic has its own UDP transport: cut it too.
        LeaseTransportExtension.Get(sys).Transport!.Tell(new LeaseUdpTransport.Blackhole(Names.Where(n => n != isolated).ToHashSet()));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Systems) await s.Terminate().WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { });
    }
}
