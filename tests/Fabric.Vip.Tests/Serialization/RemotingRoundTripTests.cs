using Akka.Actor;
using Akka.Configuration;
using Fabric.Vip.Election;
using Fabric.Vip.Serialization;

namespace Fabric.Vip.Tests.Serialization;

/// <summary>Two ActorSystems on 127.0.0.1 exchange lease messages over real remoting through the Fabric serializer.</summary>
public sealed class RemotingRoundTripTests : IAsyncLifetime
{
    private ActorSystem _a = null!;
    private ActorSystem _b = null!;

    private static Config Remote() => ConfigurationFactory.ParseString("""
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = 127.0.0.1, port = 0 }
        akka.loglevel = WARNING
        akka.actor.serialize-messages = off
        """).WithFallback(ConfigurationFactory.ParseString(FabricHyperionSerializer.Hocon));

    public Task InitializeAsync()
    {
        _a = ActorSystem.Create("rt", Remote());
        _b = ActorSystem.Create("rt", Remote());
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _a.Terminate();
        await _b.Terminate();
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    [Fact]
    public async Task Lease_messages_cross_remoting_unchanged()
    {
        _b.ActorOf(Props.Create(() => new Echo()), "echo");
        var addr = ((ExtendedActorSystem)_b).Provider.DefaultAddress;
        var echo = await _a.ActorSelection($"{addr}/user/echo").ResolveOne(TimeSpan.FromSeconds(5));
        object[] messages =
        [
            new LeaseRequest("v", "n1", 0, 2, 5, 1, false, -42),
            new LeaseGranted("v", "n2", "n1", 2, 5, -42),
            new LeaseRejected("v", "n2", "n1", 2, 5, -42, "n3", 1, true, 4),
            new LeaseRelease("v", "n1", 2, -42),
        ];
        foreach (var m in messages)
            Assert.Equal(m, await echo.Ask<object>(m, TimeSpan.FromSeconds(5)));
    }
}
