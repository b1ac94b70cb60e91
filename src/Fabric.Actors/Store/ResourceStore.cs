using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Store;

/// <summary>The node's resources, in memory. One actor, so every reader sees changes in one order and a watch
/// can hand out a consistent snapshot followed by every later change.</summary>
public sealed class ResourceStore : ReceiveActor
{
    private readonly Dictionary<ResourceKind, SortedDictionary<string, Resource>> resources = new();
    private readonly Dictionary<ResourceKind, HashSet<IActorRef>> watchers = new();
    private readonly Func<DateTimeOffset> now;
    private readonly ILoggingAdapter log = Context.GetLogger();

    public ResourceStore(Func<DateTimeOffset>? clock = null)
    {
        now = clock ?? (() => DateTimeOffset.UtcNow);
        Receive<Get>(m => Sender.Tell(new GetResult(Find(m.Key))));
        Receive<List>(m => Sender.Tell(new ListResult(m.Kind, Snapshot(m.Kind))));
        Receive<Watch>(OnWatch);
        Receive<Unwatch>(m => RemoveWatcher(m.Kind, m.Subscriber ?? Sender));
        Receive<Write>(OnWrite);
        Receive<Terminated>(t =>
        {
            foreach (var kind in watchers.Keys.ToList()) RemoveWatcher(kind, t.ActorRef);
        });
    }

    public static Props Props(Func<DateTimeOffset>? clock = null) => Akka.Actor.Props.Create(() => new ResourceStore(clock));

    private Resource? Find(ResourceKey key) =>
        resources.TryGetValue(key.Kind, out var byId) && byId.TryGetValue(key.Id, out var r) ? r : null;

    private IReadOnlyList<Resource> Snapshot(ResourceKind kind) =>
        resources.TryGetValue(kind, out var byId) ? byId.Values.ToArray() : [];

    private void OnWatch(Watch m)
    {
        var subscriber = m.Subscriber ?? Sender;
        if (!watchers.TryGetValue(m.Kind, out var set)) watchers[m.Kind] = set = [];
        if (set.Add(subscriber)) Context.Watch(subscriber);
        subscriber.Tell(new WatchSnapshot(m.Kind, Snapshot(m.Kind)));
    }

    private void RemoveWatcher(ResourceKind kind, IActorRef subscriber)
    {
        if (watchers.TryGetValue(kind, out var set) && set.Remove(subscriber) && set.Count == 0) watchers.Remove(kind);
        if (!watchers.Values.Any(s => s.Contains(subscriber))) Context.Unwatch(subscriber);
    }

    private void OnWrite(Write m)
    {
        var events = new List<(ResourceKind Kind, ResourceEvent Event)>();
        var rejected = new List<string>();
        foreach (var put in m.Puts) Apply(m.Owner, put, events, rejected);
        foreach (var key in m.Destroys) Destroy(m.Owner, key, events, rejected);
        foreach (var reason in rejected) log.Warning("store refused a write: {0}", reason);
        Publish(events);
        if (!Sender.IsNobody()) Sender.Tell(new WriteResult(rejected));
    }

    private void Apply(string owner, Put put, List<(ResourceKind, ResourceEvent)> events, List<string> rejected)
    {
        var kind = put.Key.Kind;
        if (!resources.TryGetValue(kind, out var byId)) resources[kind] = byId = new(StringComparer.Ordinal);
        var at = now();
        if (byId.TryGetValue(put.Key.Id, out var existing))
        {
            if (existing.Metadata.Owner != owner)
            {
                rejected.Add($"{put.Key} is owned by {existing.Metadata.Owner}, not {owner}");
                return;
            }
            if (existing.Metadata.Layer == put.Layer && SpecEquality.Same(existing.Spec, put.Spec)) return;
            var updated = new Resource(existing.Metadata with { Version = existing.Metadata.Version + 1, Layer = put.Layer, Updated = at }, put.Spec);
            byId[put.Key.Id] = updated;
            events.Add((kind, new ResourceEvent(EventType.Updated, updated)));
            return;
        }
        var created = new Resource(new ResourceMetadata
        {
            Namespace = put.Key.Namespace, Type = put.Key.Type, Id = put.Key.Id, Version = 1,
            Owner = owner, Layer = put.Layer, Created = at, Updated = at,
        }, put.Spec);
        byId[put.Key.Id] = created;
        events.Add((kind, new ResourceEvent(EventType.Created, created)));
    }

    private void Destroy(string owner, ResourceKey key, List<(ResourceKind, ResourceEvent)> events, List<string> rejected)
    {
        if (!resources.TryGetValue(key.Kind, out var byId) || !byId.TryGetValue(key.Id, out var existing)) return;
        if (existing.Metadata.Owner != owner)
        {
            rejected.Add($"{key} is owned by {existing.Metadata.Owner}, not {owner}");
            return;
        }
        byId.Remove(key.Id);
        events.Add((key.Kind, new ResourceEvent(EventType.Destroyed, existing)));
    }

    private void Publish(List<(ResourceKind Kind, ResourceEvent Event)> events)
    {
        foreach (var group in events.GroupBy(e => e.Kind))
        {
            if (!watchers.TryGetValue(group.Key, out var set)) continue;
            var batch = new WatchEvents(group.Key, group.Select(e => e.Event).ToArray());
            foreach (var watcher in set) watcher.Tell(batch);
        }
    }
}
