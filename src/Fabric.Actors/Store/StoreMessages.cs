using Akka.Actor;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Store;

/// <summary>Replies with <see cref="GetResult"/>.</summary>
public sealed record Get(ResourceKey Key);
public sealed record GetResult(Resource? Resource);

/// <summary>Replies with <see cref="ListResult"/>, sorted by id.</summary>
public sealed record List(ResourceKind Kind);
public sealed record ListResult(ResourceKind Kind, IReadOnlyList<Resource> Resources);

/// <summary>Subscribe the sender (or <paramref name="Subscriber"/>) to a kind: it first gets a <see cref="WatchSnapshot"/>
/// then every change as <see cref="WatchEvents"/>, in the order the store applied them.</summary>
public sealed record Watch(ResourceKind Kind, IActorRef? Subscriber = null);
public sealed record Unwatch(ResourceKind Kind, IActorRef? Subscriber = null);
public sealed record WatchSnapshot(ResourceKind Kind, IReadOnlyList<Resource> Resources);
public sealed record WatchEvents(ResourceKind Kind, IReadOnlyList<ResourceEvent> Events);

public enum EventType { Created, Updated, Destroyed }

/// <summary>For Destroyed, <see cref="Resource"/> is the last version before it went.</summary>
public sealed record ResourceEvent(EventType Type, Resource Resource);

/// <summary>One writer's changes, applied together and in order. Replies with <see cref="WriteResult"/> when asked.</summary>
public sealed record Write(string Owner, IReadOnlyList<Put> Puts, IReadOnlyList<ResourceKey> Destroys)
{
    public static Write One(string owner, Put put) => new(owner, [put], []);
}

public sealed record Put(ResourceKey Key, IResourceSpec Spec, string? Layer = null);

/// <summary>Writes the store refused: a resource owned by someone else.</summary>
public sealed record WriteResult(IReadOnlyList<string> Rejected);
