using k8s;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>One kind of object on the API server, as a list/watch pair. The list gives the resourceVersion to
/// watch from; the watch continues from there.</summary>
public interface IListWatchApi<T>
{
    /// <summary>For logs and messages, e.g. "services".</summary>
    string Resource { get; }
    Task<ListedObjects<T>> ListAsync(CancellationToken cancellation);
    IAsyncEnumerable<WatchItem<T>> WatchAsync(string resourceVersion, CancellationToken cancellation);
    string KeyOf(T item);
    string ResourceVersionOf(T item);
}

public sealed record ListedObjects<T>(IReadOnlyList<T> Items, string ResourceVersion);

/// <summary>What a watch stream yields: a change, a bookmark (only a newer resourceVersion), or word that the
/// resourceVersion is too old (410 Gone) and the caller must list again.</summary>
public abstract record WatchItem<T>
{
    public sealed record Change(WatchEventType Type, T Object) : WatchItem<T>;
    public sealed record Bookmark(string ResourceVersion) : WatchItem<T>;
    public sealed record Expired(string Message) : WatchItem<T>;
}
