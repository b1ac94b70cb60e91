using k8s;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>The complete current set of one kind: the first list, and every re-list after a 410 Gone.
/// It replaces whatever the receiver knew of that kind.</summary>
public sealed record ResourceListed<T>(string Resource, IReadOnlyList<T> Items);

/// <summary>The kind cannot be listed (its CRD is missing, or reading it is forbidden): the receiver treats it as
/// empty. Said once when it starts; the watcher keeps checking, slowly, and sends a list when it appears.</summary>
public sealed record ResourceAbsent(string Resource, string Reason);

/// <summary>One change after the list, in the order the API server sent them.</summary>
public sealed record ResourceChanged<T>(string Resource, WatchEventType Type, T Object);

/// <summary>How long to wait before retrying after an error: doubling from Initial up to Max.</summary>
public sealed record RetryBackoff(TimeSpan Initial, TimeSpan Max)
{
    public static readonly RetryBackoff Default = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30));

    public TimeSpan After(int failures) =>
        TimeSpan.FromTicks(Math.Min(Max.Ticks, Initial.Ticks * (1L << Math.Clamp(failures - 1, 0, 20))));
}
