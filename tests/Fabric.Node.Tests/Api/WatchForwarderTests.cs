using System.Threading.Channels;
using Akka.Actor;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Node.Api;

namespace Fabric.Node.Tests.Api;

public sealed class WatchForwarderTests : IAsyncLifetime
{
    private readonly ActorSystem system = ActorSystem.Create("forwarder-tests");

    public Task InitializeAsync() => Task.CompletedTask;
    public Task DisposeAsync() => system.Terminate();

    private static async Task<Exception> DrainUntilFailure(ChannelReader<IReadOnlyList<WatchLine>> reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var _ in reader.ReadAllAsync(timeout.Token)) { }
        }
        catch (Exception e)
        {
            return e;
        }
        throw new Xunit.Sdk.XunitException("the channel completed without an error");
    }

    private static bool IsWatchEnded(Exception e, string text) =>
        (e as WatchEndedException ?? e.InnerException as WatchEndedException)?.Message.Contains(text) == true;

    [Fact]
    public async Task A_client_that_falls_behind_loses_the_watch_instead_of_stalling_the_actor()
    {
        var store = system.ActorOf(ResourceStore.Props());
        var channel = Channel.CreateBounded<IReadOnlyList<WatchLine>>(1);
        var kind = ResourceTypes.AddressStatus.Kind;
        var forwarder = system.ActorOf(WatchForwarder.Props(store, kind, null, channel.Writer));

        for (var i = 1; i <= 3; i++)
        {
            var key = new ResourceKey(kind.Namespace, kind.Type, $"eth0/192.0.2.{i}/24");
            await store.Ask<WriteResult>(Write.One("test", new Put(key, ApiHarness.Address("eth0", $"192.0.2.{i}/24"))), TimeSpan.FromSeconds(5));
        }

        var error = await DrainUntilFailure(channel.Reader);
        Assert.True(IsWatchEnded(error, "fell behind"), error.ToString());
        await forwarder.WatchAsync().WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task The_watch_ends_when_the_store_stops()
    {
        var store = system.ActorOf(ResourceStore.Props());
        var channel = Channel.CreateUnbounded<IReadOnlyList<WatchLine>>();
        system.ActorOf(WatchForwarder.Props(store, ResourceTypes.LinkStatus.Kind, null, channel.Writer));

        var snapshot = await channel.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(WatchLine.Bootstrapped, Assert.Single(snapshot).Event);
        system.Stop(store);

        var error = await DrainUntilFailure(channel.Reader);
        Assert.True(IsWatchEnded(error, "store stopped"), error.ToString());
    }
}
