using System.Runtime.InteropServices;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Actors.Controllers;
using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;
using Fabric.Node.Api;
using Fabric.Vip.Cluster;
using Fabric.Vip.Election;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Node;
using Fabric.Vip.Node;

namespace Fabric.Node.Agent;

/// <summary>`fabric node --config FILE`: runs the agent in the current network namespace until SIGTERM/SIGINT.</summary>
public static class NodeAgent
{
    public static async Task<int> RunAsync(string configPath, TextWriter output, TextWriter errors)
    {
        var loaded = FullConfigValidation.Load(configPath);
        foreach (var d in loaded.Diagnostics) errors.WriteLine(d);
        if (!loaded.IsValid)
        {
            errors.WriteLine($"fabric: {configPath} is not valid; the agent does not start on a config it cannot apply whole");
            return 1;
        }
        var config = loaded.Config!;
        if (!ApiEndpoint.TryParse(config.Fabric.ApiListen, out var listen))
        {
            errors.WriteLine($"fabric: fabric.api.listen \"{config.Fabric.ApiListen}\" is not host:port");
            return 1;
        }
        Directory.CreateDirectory(config.Fabric.StateDir);

        using var kernel = NetlinkKernel.Open();
        var nodeName = config.Fabric.NodeName ?? config.Network.Hostname?.Split('.')[0] ?? await kernel.GetHostnameAsync();
        var clusterBootstrap = ClusterBootstrap.From(config.Fabric.Cluster);
        var system = AkkaBootstrap.Create(
            clusterBootstrap.Hocon().WithFallback(AllocatorPersistence.For(config.Fabric.Persistence, config.Fabric.StateDir)),
            clusterBootstrap.SystemName);
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stopping.TrySetResult(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stopping.TrySetResult(); });
        try
        {
            var env = new NodeEnvironment(kernel, config.Fabric.EtcRoot, config.Fabric.StateDir, new SysfsLinkHardware());
            var node = system.ActorOf(NodeSupervisor.Props(env), "node");
            var store = await node.Ask<IActorRef>(NodeSupervisor.GetStore.Instance, TimeSpan.FromSeconds(10));
            var self = await JoinAsync(system, clusterBootstrap, config.Fabric.Cluster);
            system.ActorOf(MembersController.Props(store), "members");
            // One kernel fence for every Layer 2 address this node may own (VIPs and service IPs).
            // Fence renewals are lease traffic: on the lease's own threads, so a busy node does not let them lapse.
            var fence = system.ActorOf(Fabric.Vip.Fence.LeaseFence.Props().WithDispatcher(LeaseDispatcher.Id), "lease-fence");
            Fabric.Vip.Fence.LeaseFence.RegisterTearDown(system, fence);
            system.ActorOf(VipNodeController.Props(store, clusterBootstrap, self, fence), "vip-node");
            VipShutdown.Register(system);
            DownedNodeExit.Register(system);
            var bgp = system.ActorOf(Fabric.Vip.Bgp.Node.BgpNodeController.Props(store, nodeName), "bgp");
            var lbBgp = system.ActorOf(Fabric.Vip.LoadBalancer.Announce.BgpServiceAnnouncer.Props(store, bgp, nodeName), "lb-bgp");
            var lbL2 = Fabric.Vip.LoadBalancer.Announce.ServiceL2Controller.Start(system, store, clusterBootstrap, self, nodeName, fence);
            system.ActorOf(LoadBalancerNodeController.Props(store, nodeName, [lbBgp, lbL2]), LoadBalancerNodeController.Name);
            var keeper = system.ActorOf(ConfigKeeper.Props(store, config, Path.GetFullPath(configPath)), "config");
            await using var api = new ApiServer(system, store, nodeName, new ConfigKeeperApplier(keeper), new ApiServerOptions { Listen = listen });
            await api.StartAsync();
            output.WriteLine($"fabric: node {nodeName} running; API on {api.BoundEndpoint}");
            await stopping.Task;
            output.WriteLine("fabric: stopping");
            // Leases first (coordinated shutdown's first phase releases them, so the next owner takes over at
            // once); the API can close meanwhile.
            var shutdown = CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
            await api.StopAsync();
            await shutdown;
        }
        finally
        {
            await CoordinatedShutdown.Get(system).Run(CoordinatedShutdown.ClrExitReason.Instance);
        }
        output.WriteLine("fabric: stopped");
        return 0;
    }

    /// <summary>With fabric.cluster the seed nodes join by themselves; without it the node is a cluster of one.
    /// Returns the node's identity as voters name it.</summary>
    private static async Task<string> JoinAsync(ActorSystem system, ClusterBootstrap bootstrap, ClusterSettings? settings)
    {
        var cluster = Akka.Cluster.Cluster.Get(system);
        if (settings is null)
        {
            await cluster.JoinAsync(cluster.SelfAddress);
            return cluster.SelfAddress.ToString();
        }
        return bootstrap.AddressOf(settings.Listen);
    }
}
