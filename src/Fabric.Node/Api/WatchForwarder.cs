using System.Threading.Channels;
using Akka.Actor;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Node.Api;

/// <summary>Lives as long as one watch request: subscribes to the store and hands each batch to the request's channel.
/// It never waits on the channel; a client too slow to drain it loses the watch instead of stalling the actor.</summary>
internal sealed class WatchForwarder : ReceiveActor
{
    private readonly IActorRef store;
    private readonly ResourceKind kind;
    private readonly string? id;
    private readonly ChannelWriter<IReadOnlyList<WatchLine>> writer;

    public WatchForwarder(IActorRef store, ResourceKind kind, string? id, ChannelWriter<IReadOnlyList<WatchLine>> writer)
    {
        this.store = store;
        this.kind = kind;
        this.id = id;
        this.writer = writer;

        Receive<WatchSnapshot>(m => m.Kind == kind, m =>
            Offer([.. m.Resources.Where(Matches).Select(r => new WatchLine(WatchLine.Created, ResourceDocument.Of(r))), new WatchLine(WatchLine.Bootstrapped)]));
        Receive<WatchEvents>(m => m.Kind == kind, m =>
        {
            var lines = m.Events.Where(e => Matches(e.Resource)).Select(WatchLine.Of).ToArray();
            if (lines.Length > 0) Offer(lines);
        });
        Receive<Terminated>(t => t.ActorRef.Equals(store), _ =>
        {
            writer.TryComplete(new WatchEndedException("the resource store stopped"));
            Context.Stop(Self);
        });
    }

    public static Props Props(IActorRef store, ResourceKind kind, string? id, ChannelWriter<IReadOnlyList<WatchLine>> writer) =>
        Akka.Actor.Props.Create(() => new WatchForwarder(store, kind, id, writer));

    protected override void PreStart()
    {
        Context.Watch(store);
        store.Tell(new Watch(kind, Self));
    }

    protected override void PostStop()
    {
        store.Tell(new Unwatch(kind, Self));
        writer.TryComplete();
    }

    private bool Matches(Resource r) => id is null || r.Metadata.Id == id;

    private void Offer(IReadOnlyList<WatchLine> lines)
    {
        if (writer.TryWrite(lines)) return;
        writer.TryComplete(new WatchEndedException("the client fell behind; watch again"));
        Context.Stop(Self);
    }
}

/// <summary>Ends a watch stream early; the message is sent to the client as the last line.</summary>
internal sealed class WatchEndedException(string message) : Exception(message);
