using Akka.Actor;
using Akka.Event;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>Keeps a parent up to date with one kind of object: list, then watch from the list's resourceVersion,
/// following bookmarks; when the watch ends, watch again from the last version seen; on 410 Gone list again; on
/// errors retry with backoff. Every await is piped back as a message, one stream step at a time, so the actor
/// never blocks and all state stays in the actor.</summary>
public sealed class ResourceWatcher<T> : ReceiveActor, IWithTimers
{
    private sealed record ListDone(int Attempt, ListedObjects<T> Listed);
    private sealed record StreamStep(int Attempt, WatchItem<T>? Item);
    private sealed record Failed(int Attempt, Exception Error);
    private sealed record Retry(int Attempt);
    private sealed record Idle(int Attempt);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IListWatchApi<T> _api;
    private readonly IActorRef _parent;
    private readonly RetryBackoff _backoff;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _stop = new();
    private IAsyncEnumerator<WatchItem<T>>? _stream;
    private string? _resourceVersion;
    private int _failures;
    // Whether the current watch delivered anything: one that ends empty-handed waits before the next, so a server
    // (or proxy) that closes watches at once is not hammered.
    private bool _delivered;
    // Whether the parent was told the kind is absent (404/403), so it is said once, not at every check.
    private bool _absent;
    // Each list or watch is an attempt; results of an attempt that was abandoned are dropped.
    private int _attempt;

    public ITimerScheduler Timers { get; set; } = null!;

    public ResourceWatcher(IListWatchApi<T> api, IActorRef parent, RetryBackoff backoff, TimeSpan? idleTimeout = null)
    {
        _idleTimeout = idleTimeout ?? TimeSpan.FromMinutes(5);
        _api = api;
        _parent = parent;
        _backoff = backoff;
        Receive<ListDone>(m => m.Attempt == _attempt, OnListed);
        Receive<StreamStep>(m => m.Attempt == _attempt, OnStep);
        Receive<Failed>(m => m.Attempt == _attempt, OnFailed);
        Receive<Retry>(m => m.Attempt == _attempt, _ => Resume());
        Receive<Idle>(m => m.Attempt == _attempt, _ =>
        {
            _log.Warning("{0}: nothing arrived on the watch for {1}; watching again from resourceVersion {2}", _api.Resource, _idleTimeout, _resourceVersion);
            Watch();
        });
        // Stale results of abandoned attempts.
        Receive<ListDone>(_ => { });
        Receive<StreamStep>(_ => { });
        Receive<Failed>(_ => { });
        Receive<Retry>(_ => { });
        Receive<Idle>(_ => { });
    }

    public static Props Props(IListWatchApi<T> api, IActorRef parent, RetryBackoff backoff, TimeSpan? idleTimeout = null) =>
        Akka.Actor.Props.Create(() => new ResourceWatcher<T>(api, parent, backoff, idleTimeout));

    protected override void PreStart() => List();

    protected override void PostStop()
    {
        _stop.Cancel();
        CloseStream();
        _stop.Dispose();
    }

    private void List()
    {
        CloseStream();
        var attempt = ++_attempt;
        _api.ListAsync(_stop.Token).PipeTo(Self,
            success: listed => new ListDone(attempt, listed),
            failure: e => new Failed(attempt, e));
    }

    private void OnListed(ListDone m)
    {
        _failures = 0;
        _absent = false;
        _resourceVersion = m.Listed.ResourceVersion;
        _parent.Tell(new ResourceListed<T>(_api.Resource, m.Listed.Items));
        Watch();
    }

    private void Watch()
    {
        CloseStream();
        var attempt = ++_attempt;
        _delivered = false;
        _stream = _api.WatchAsync(_resourceVersion!, _stop.Token).GetAsyncEnumerator(_stop.Token);
        Timers.StartSingleTimer("idle", new Idle(attempt), _idleTimeout);
        Next(attempt);
    }

    private void Next(int attempt)
    {
        var stream = _stream!;
        stream.MoveNextAsync().AsTask().PipeTo(Self,
            success: more => new StreamStep(attempt, more ? stream.Current : null),
            failure: e => new Failed(attempt, e));
    }

    private void OnStep(StreamStep m)
    {
        Timers.StartSingleTimer("idle", new Idle(m.Attempt), _idleTimeout);
        switch (m.Item)
        {
            case null:
                // The server ends watches routinely (timeouts, restarts); carry on from the last version seen.
                _log.Debug("{0}: watch ended at resourceVersion {1}, watching again", _api.Resource, _resourceVersion);
                if (_delivered) { Watch(); return; }
                CloseStream();
                Timers.StartSingleTimer("retry", new Retry(m.Attempt), _backoff.After(++_failures));
                return;
            case WatchItem<T>.Expired expired:
                _log.Info("{0}: resourceVersion {1} expired ({2}), listing again", _api.Resource, _resourceVersion, expired.Message);
                List();
                return;
            case WatchItem<T>.Bookmark bookmark:
                _resourceVersion = bookmark.ResourceVersion;
                _delivered = true;
                break;
            case WatchItem<T>.Change change:
                _resourceVersion = _api.ResourceVersionOf(change.Object);
                _failures = 0;
                _delivered = true;
                _parent.Tell(new ResourceChanged<T>(_api.Resource, change.Type, change.Object));
                break;
        }
        Next(m.Attempt);
    }

    private void OnFailed(Failed m)
    {
        CloseStream();
        if (WatchStreams.IsGone(m.Error))
        {
            _log.Info("{0}: resourceVersion {1} is gone, listing again", _api.Resource, _resourceVersion);
            List();
            return;
        }
        if (WatchStreams.Absence(m.Error) is { } why)
        {
            // Not a fault to retry quickly: the kind is not there. Checked again at the slowest pace; listed when it comes.
            _resourceVersion = null;
            if (!_absent)
            {
                _absent = true;
                _log.Warning("{0}: {1}; treating it as empty and checking again every {2}", _api.Resource, why, _backoff.Max);
                _parent.Tell(new ResourceAbsent(_api.Resource, why));
            }
            Timers.StartSingleTimer("retry", new Retry(m.Attempt), _backoff.Max);
            return;
        }
        _failures++;
        var delay = _backoff.After(_failures);
        _log.Warning("{0}: {1}; retrying in {2}", _api.Resource, m.Error.Message, delay);
        Timers.StartSingleTimer("retry", new Retry(m.Attempt), delay);
    }

    private void Resume()
    {
        if (_resourceVersion is null) List();
        else Watch();
    }

    private void CloseStream()
    {
        // Streams are closed once they have ended (or on stop, after the token was cancelled, when a read may still
        // be in flight and the iterator refuses disposal: cancellation finishes it). Nothing here needs awaiting.
        var stream = _stream;
        _stream = null;
        if (stream is null) return;
        try { _ = stream.DisposeAsync().AsTask().ContinueWith(t => _ = t.Exception, TaskScheduler.Default); }
        catch (NotSupportedException) { }
        catch (InvalidOperationException) { }
    }
}
