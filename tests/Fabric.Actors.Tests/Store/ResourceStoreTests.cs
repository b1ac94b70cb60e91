using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Actors.Tests.Store;

public sealed class ResourceStoreTests : TestKit
{
    private static readonly ResourceKind Kind = ResourceTypes.HostnameStatus.Kind;

    private static Put PutHost(string id, string name) =>
        new(new ResourceKey(Kind.Namespace, Kind.Type, id), new HostnameStatus { Hostname = name });

    [Fact]
    public void Watch_gives_a_snapshot_then_every_change_in_order()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        store.Tell(Write.One("a", PutHost("h1", "one")), ActorRefs.NoSender);
        store.Tell(new Watch(Kind));
        var snapshot = ExpectMsg<WatchSnapshot>();
        Assert.Equal(["h1"], snapshot.Resources.Select(r => r.Metadata.Id));

        for (var i = 0; i < 50; i++) store.Tell(Write.One("a", PutHost("h1", $"name-{i}")), ActorRefs.NoSender);
        store.Tell(new Write("a", [], [new ResourceKey(Kind.Namespace, Kind.Type, "h1")]), ActorRefs.NoSender);

        for (var i = 0; i < 50; i++)
        {
            var e = Assert.Single(ExpectMsg<WatchEvents>().Events);
            Assert.Equal(EventType.Updated, e.Type);
            Assert.Equal($"name-{i}", ((HostnameStatus)e.Resource.Spec).Hostname);
            Assert.Equal((ulong)(i + 2), e.Resource.Metadata.Version);
        }
        var destroyed = Assert.Single(ExpectMsg<WatchEvents>().Events);
        Assert.Equal(EventType.Destroyed, destroyed.Type);
    }

    [Fact]
    public void An_unchanged_write_neither_bumps_the_version_nor_wakes_watchers()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        store.Tell(new Watch(Kind));
        ExpectMsg<WatchSnapshot>();
        store.Tell(Write.One("a", PutHost("h1", "one")), ActorRefs.NoSender);
        ExpectMsg<WatchEvents>();
        store.Tell(Write.One("a", PutHost("h1", "one")), ActorRefs.NoSender);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        store.Tell(new Get(new ResourceKey(Kind.Namespace, Kind.Type, "h1")));
        Assert.Equal(1UL, ExpectMsg<GetResult>().Resource!.Metadata.Version);
    }

    [Fact]
    public void Only_the_owner_may_change_or_destroy_a_resource()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        store.Tell(Write.One("a", PutHost("h1", "one")));
        ExpectMsg<WriteResult>();
        store.Tell(Write.One("b", PutHost("h1", "two")));
        Assert.Contains("owned by a", Assert.Single(ExpectMsg<WriteResult>().Rejected));
        store.Tell(new Write("b", [], [new ResourceKey(Kind.Namespace, Kind.Type, "h1")]));
        Assert.Single(ExpectMsg<WriteResult>().Rejected);
        store.Tell(new Get(new ResourceKey(Kind.Namespace, Kind.Type, "h1")));
        var r = ExpectMsg<GetResult>().Resource!;
        Assert.Equal("one", ((HostnameStatus)r.Spec).Hostname);
        Assert.Equal("a", r.Metadata.Owner);
    }

    [Fact]
    public void A_stopped_watcher_is_forgotten()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        var watcher = CreateTestProbe();
        store.Tell(new Watch(Kind, watcher.Ref));
        watcher.ExpectMsg<WatchSnapshot>();
        Watch(watcher.Ref);
        Sys.Stop(watcher.Ref);
        ExpectTerminated(watcher.Ref);
        store.Tell(Write.One("a", PutHost("h1", "x")));
        ExpectMsg<WriteResult>();
    }
}
