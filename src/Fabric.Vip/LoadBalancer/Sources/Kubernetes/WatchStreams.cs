using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>Adapts the client's watch enumeration to <see cref="WatchItem{T}"/>: the client reports a Status
/// object in the stream (e.g. 410 Expired) through a callback and keeps reading; here it ends the stream with an
/// item the watcher can act on.</summary>
internal static class WatchStreams
{
    /// <param name="watch">Starts the client's watch, given the callback it reports stream errors to.</param>
    public static async IAsyncEnumerable<WatchItem<T>> Adapt<T>(Func<Action<Exception>, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Func<T, string> resourceVersionOf, [EnumeratorCancellation] CancellationToken cancellation)
    {
        Exception? streamError = null;
        await foreach (var (type, item) in watch(e => streamError ??= e).WithCancellation(cancellation).ConfigureAwait(false))
        {
            if (streamError is not null) break;
            if (type == WatchEventType.Error) { streamError = new InvalidOperationException("watch reported an error event"); break; }
            yield return type == WatchEventType.Bookmark
                ? new WatchItem<T>.Bookmark(resourceVersionOf(item))
                : new WatchItem<T>.Change(type, item);
        }
        if (streamError is null) yield break;
        if (IsGone(streamError)) yield return new WatchItem<T>.Expired(streamError.Message);
        else throw streamError;
    }

    /// <summary>Why a kind cannot be listed at all: 404 (its CRD is not installed, or was removed) or 403 (this
    /// client may not read it). Null for any other error.</summary>
    public static string? Absence(Exception error) => error switch
    {
        HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound } => "not found (is its CustomResourceDefinition installed?)",
        HttpOperationException { Response.StatusCode: HttpStatusCode.Forbidden } => "forbidden (may this client list it?)",
        KubernetesException { Status.Code: (int)HttpStatusCode.NotFound } => "not found (is its CustomResourceDefinition installed?)",
        _ => null,
    };

    /// <summary>410 Gone, as a Status in the stream or as the HTTP answer to the watch request.</summary>
    public static bool IsGone(Exception error) => error switch
    {
        KubernetesException k => k.Status?.Code == (int)HttpStatusCode.Gone,
        HttpOperationException h => h.Response?.StatusCode == HttpStatusCode.Gone,
        _ => false,
    };
}
