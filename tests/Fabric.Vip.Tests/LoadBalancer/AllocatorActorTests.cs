using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Config;
using static Fabric.Vip.LoadBalancer.Allocation.AllocatorMessages;
using static Fabric.Vip.Tests.LoadBalancer.LbTestData;

namespace Fabric.Vip.Tests.LoadBalancer;

public sealed class AllocatorActorTests : TestKit
{
    private static readonly string Dir = Directory.CreateTempSubdirectory("fabric-lb-actor-").FullName;

    public AllocatorActorTests() : base(AllocatorPersistence.For(
        new PersistenceSettings { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(Dir, Guid.NewGuid() + ".db")}" }, Dir))
    { }

    [Fact]
    public void Waiting_service_gets_the_address_a_deleted_one_frees_and_the_listener_hears_both()
    {
        var listener = CreateTestProbe();
        var allocator = Sys.ActorOf(AllocatorActor.Props(listener.Ref));
        allocator.Tell(new ConfigurePools([Pool("one", "192.0.2.7/32")]));
        var status = ExpectMsg<PoolStatusReport>();
        Assert.Equal((UInt128)1, status.Pools[0].Free);
        listener.ExpectMsg<PoolStatusReport>();

        allocator.Tell(new ServiceSourceMessages.Upserted("t", Svc("x")));
        Assert.Equal("192.0.2.7", ExpectMsg<ServiceAllocation>().Ips.Single().ToString());
        listener.ExpectMsg<ServiceAllocation>(a => a.Service == "default/x");

        allocator.Tell(new ServiceSourceMessages.Upserted("t", Svc("y")));
        Assert.Contains("exhausted", ExpectMsg<ServiceAllocation>().Error);
        listener.ExpectMsg<ServiceAllocation>(a => a.Service == "default/y" && a.Error != null);

        allocator.Tell(new ServiceSourceMessages.Deleted("t", "default", "x"));
        Assert.Empty(ExpectMsg<ServiceAllocation>().Ips);
        listener.ExpectMsg<ServiceAllocation>(a => a.Service == "default/x" && a.Ips.Count == 0);
        listener.ExpectMsg<ServiceAllocation>(a => a.Service == "default/y" && a.Ips.Single().ToString() == "192.0.2.7");
    }

    [Fact]
    public void Pools_from_a_machine_config_file_reach_the_allocator()
    {
        var result = ConfigLoader.Parse("""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: file-pool}
            spec: {addresses: [203.0.113.8/29]}
            """, "node.yaml");
        var config = LoadBalancerConfigReader.FromExtraDocuments(result.Config!.ExtraDocuments);
        Assert.True(config.IsValid, string.Join("\n", config.Diagnostics));
        var allocator = Sys.ActorOf(AllocatorActor.Props(ActorRefs.Nobody));
        allocator.Tell(new ConfigurePools(config.Pools));
        var pool = Assert.Single(ExpectMsg<PoolStatusReport>().Pools);
        Assert.Equal(("file-pool", (UInt128)8), (pool.Name, pool.Size));
    }
}
