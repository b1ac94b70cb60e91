using Akka.Configuration;
using Fabric.Actors.Config;
using Fabric.Actors.Store;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Node;

namespace Fabric.Vip.Tests.LoadBalancer.Cluster;

/// <summary>A node whose allocator never answers (its cluster is not up) says so once, and says when it answers;
/// Akka's own proxy warning, which fires falsely at every start, stays off.</summary>
public sealed class AllocatorSilenceTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly string Dir = Directory.CreateTempSubdirectory("fabric-lb-silence-").FullName;

    public AllocatorSilenceTests(Xunit.Abstractions.ITestOutputHelper output)
        : base(ConfigurationFactory.ParseString("akka.loglevel = INFO").WithFallback(LbClusterHarness.NodeConfig(
            new PersistenceSettings { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(Dir, "lb.db")}" }, Dir)), output: output)
    {
    }

    [Fact]
    public async Task A_silent_allocator_is_reported_once_and_its_first_answer_too()
    {
        LoadBalancerResources.Register();
        var store = Sys.ActorOf(ResourceStore.Props(), "store");

        await EventFilter.Warning(contains: "failed to find an associated singleton").ExpectAsync(0, async () =>
        {
            await EventFilter.Warning(contains: "no load balancer allocator has answered").ExpectOneAsync(TimeSpan.FromSeconds(15), () =>
            {
                Sys.ActorOf(LoadBalancerNodeController.Props(store, "node0", allocatorSilence: TimeSpan.FromMilliseconds(500)), LoadBalancerNodeController.Name);
                return Task.CompletedTask;
            });
            await EventFilter.Info(contains: "answered after").ExpectOneAsync(TimeSpan.FromSeconds(30),
                () => Akka.Cluster.Cluster.Get(Sys).JoinAsync(Akka.Cluster.Cluster.Get(Sys).SelfAddress));
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
