using Akka.Actor;
using Akka.Event;
using static Fabric.Vip.LoadBalancer.Allocation.AllocatorMessages;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>The cluster's one allocator, as the ClusterSingletonManager runs it on the oldest node: the journaled
/// <see cref="AllocatorActor"/> as its child, and the subscriptions of every node's controller, which it keeps told of
/// each decision (see <see cref="AllocatorFeed"/>). Requests for the allocator are forwarded to it as they come, the
/// sender kept; while the allocator is being restarted after a journal failure they wait here, and the subscribers
/// are then asked to re-send what the journal does not hold.</summary>
public sealed class AllocatorSingleton : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    /// <summary>The singleton's name under its manager.</summary>
    public const string Name = "singleton";

    private sealed record Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed record StartAllocator
    {
        public static readonly StartAllocator Instance = new();
    }

    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly int _snapshotEvery;
    private readonly string _node = Akka.Cluster.Cluster.Get(Context.System).SelfAddress.ToString();
    private readonly HashSet<IActorRef> _subscribers = [];
    /// <summary>Subscribers waiting for the whole state; they get the next answer to GetAllocations.</summary>
    private readonly HashSet<IActorRef> _joining = [];
    /// <summary>Decisions not yet passed on, latest per service: a burst of them goes out in a few messages.</summary>
    private readonly Dictionary<string, ServiceAllocation> _changed = new();
    private IActorRef? _allocator;
    private bool _flushQueued;
    private bool _poolsAsked;
    private bool _stopping;
    private int _failures;

    public ITimerScheduler Timers { get; set; } = null!;
    public IStash Stash { get; set; } = null!;

    public AllocatorSingleton(int snapshotEvery)
    {
        _snapshotEvery = snapshotEvery;

        Receive<AllocatorFeed.Subscribe>(_ => OnSubscribe(Sender));
        Receive<AllocationsReport>(OnState);
        Receive<ServiceAllocation>(a =>
        {
            _changed[a.Service] = a;
            if (_flushQueued) return;
            // Queued behind the decisions already in the mailbox, so they leave together.
            _flushQueued = true;
            Self.Tell(Flush.Instance);
        });
        Receive<Flush>(_ => FlushChanges());
        Receive<PoolStatusReport>(r =>
        {
            _failures = 0; // the allocator recovered and answers
            _poolsAsked = false;
            Broadcast(_subscribers, new AllocatorFeed.Pools(r.Pools));
        });
        Receive<Terminated>(OnTerminated);
        Receive<StartAllocator>(_ => Start(resync: true));
        Receive<AllocatorFeed.Stop>(_ =>
        {
            _stopping = true;
            if (_allocator is null) Context.Stop(Self);
            else _allocator.Tell(AllocatorFeed.Stop.Instance);
        });
        // Sources' changes, pools, questions: the allocator answers the original sender.
        ReceiveAny(m =>
        {
            if (_allocator is null) Stash.Stash();
            else _allocator.Forward(m);
        });
    }

    public static Props Props(int snapshotEvery = 1000) => Akka.Actor.Props.Create(() => new AllocatorSingleton(snapshotEvery));

    /// <summary>A failing allocator is stopped, not restarted in place: this actor starts the next one after a backoff
    /// and tells the subscribers.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void PreStart()
    {
        _log.Info("load balancer allocator starting on {0}", _node);
        Start(resync: false);
    }

    private void Start(bool resync)
    {
        _allocator = Context.Watch(Context.ActorOf(AllocatorActor.Props(Self, _snapshotEvery), "allocator"));
        _poolsAsked = false;
        Stash.UnstashAll();
        if (_joining.Count > 0) _allocator.Tell(GetAllocations.Instance, Self);
        if (resync) Broadcast(_subscribers, AllocatorFeed.Resync.Instance);
    }

    private void OnSubscribe(IActorRef subscriber)
    {
        Context.Watch(subscriber);
        _subscribers.Remove(subscriber);
        _joining.Add(subscriber);
        _allocator?.Tell(GetAllocations.Instance, Self);
    }

    /// <summary>Everything the allocator knows, for the subscribers that asked. Decisions still waiting to be passed on
    /// are older than this answer (the allocator sent them first), so they go out before it.</summary>
    private void OnState(AllocationsReport report)
    {
        _failures = 0;
        FlushChanges();
        foreach (var subscriber in _joining)
        {
            subscriber.Tell(new AllocatorFeed.Subscribed(_node));
            foreach (var part in AllocatorFeed.InParts(report.Allocations)) subscriber.Tell(part);
            subscriber.Tell(AllocatorFeed.StateComplete.Instance);
            _subscribers.Add(subscriber);
        }
        _joining.Clear();
        AskPools();
    }

    private void FlushChanges()
    {
        _flushQueued = false;
        if (_changed.Count == 0) return;
        foreach (var part in AllocatorFeed.InParts(_changed.Values)) Broadcast(_subscribers, part);
        _changed.Clear();
        AskPools();
    }

    /// <summary>Pool use changes with every decision; one question in flight covers a burst of them.</summary>
    private void AskPools()
    {
        if (_poolsAsked || _allocator is null) return;
        _poolsAsked = true;
        _allocator.Tell(GetPoolStatus.Instance, Self);
    }

    private void OnTerminated(Terminated t)
    {
        if (!t.ActorRef.Equals(_allocator))
        {
            _subscribers.Remove(t.ActorRef);
            _joining.Remove(t.ActorRef);
            return;
        }
        _allocator = null;
        if (_stopping)
        {
            Context.Stop(Self);
            return;
        }
        var delay = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, MinBackoff.Ticks << Math.Min(_failures++, 10)));
        _log.Warning("load balancer allocator stopped (journal failure); recovering it from the journal in {0}", delay);
        Timers.StartSingleTimer(StartAllocator.Instance, StartAllocator.Instance, delay);
    }

    private static void Broadcast(IEnumerable<IActorRef> to, object message)
    {
        foreach (var subscriber in to) subscriber.Tell(message);
    }
}
