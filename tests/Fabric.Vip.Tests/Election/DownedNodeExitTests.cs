using Akka.Actor;
using Akka.Configuration;
using Fabric.Vip.Cluster;

namespace Fabric.Vip.Tests.Election;

public sealed class DownedNodeExitTests
{
    [Fact]
    public async Task A_downed_node_terminates_and_exits_with_the_restart_code()
    {
        var sys = ActorSystem.Create("fabric", ConfigurationFactory.ParseString("""
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
            akka.loglevel = WARNING
            """).WithFallback(ConfigurationFactory.ParseString(FabricClusterHocon.SplitBrainResolver)));
        var exited = new TaskCompletionSource<int>();
        DownedNodeExit.Register(sys, code => exited.TrySetResult(code));
        var cluster = Akka.Cluster.Cluster.Get(sys);
        await cluster.JoinAsync(cluster.SelfAddress);
        cluster.Down(cluster.SelfAddress);
        Assert.Equal(DownedNodeExit.RemovedExitCode, await exited.Task.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.True(sys.WhenTerminated.IsCompleted);
    }
}
