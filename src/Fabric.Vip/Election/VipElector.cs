using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Fabric.Vip.Election.Transport;

namespace Fabric.Vip.Election;

/// <summary>Elects the owner of one VIP among the nodes that configure it and drives the owner actions.
/// Hosts this node's grantor and candidate for the VIP (pure logic in <see cref="LeaseGrantor"/> and
/// <see cref="LeaseCandidate"/>), talks to the same actor on peers at /user/vip/&lt;vip-id&gt;. Cluster
/// membership only tells it where peers are; whether it owns the VIP is decided by the lease majority alone.</summary>
public sealed class VipElector : ReceiveActor, IWithTimers
{
    /// <summary>Graceful stop: withdraw, then release the lease so the next owner takes over at once.
    /// Replies <see cref="Released"/> when the releases are sent.</summary>
    public sealed record Release
    {
        public static readonly Release Instance = new();
    }

    public sealed record Released(string VipId);

    private sealed record Tick { public static readonly Tick Instance = new(); }
    private sealed record RefreshTick { public static readonly RefreshTick Instance = new(); }
    private sealed record ActionDone(bool Acquire, long Epoch, string? Error);
    private sealed record RefreshDone(string? Error);

    private readonly VipElectorSettings _s;
    private readonly IVipOwnerActions _actions;
    private readonly IActorRef _listener;
    private readonly IMonotonicClock _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LeaseGrantor _grantor;
    private readonly LeaseCandidate _candidate;
    private readonly IActorRef? _transport;
    private readonly string _path;

    // What the owner actions have made true, what the lease says should be, and one action at a time.
    private long? _appliedEpoch;
    private long? _wantedEpoch;
    private bool _actionInFlight;
    private TimeSpan? _since;
    private string? _lastError;
    // Informational only (shown in status): the owner named by grantors' rejections. Never used to decide.
    private string? _knownOwner;
    private IReadOnlyList<Outgoing>? _pendingRelease;
    private IActorRef? _releaseRequester;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(VipElectorSettings settings, IVipOwnerActions actions, IActorRef listener, IMonotonicClock clock) =>
        Akka.Actor.Props.Create(() => new VipElector(settings, actions, listener, clock)).WithDispatcher(LeaseDispatcher.Id);

    public VipElector(VipElectorSettings settings, IVipOwnerActions actions, IActorRef listener, IMonotonicClock clock)
    {
        settings.Timings.Validate();
        _s = settings;
        _actions = actions;
        _listener = listener;
        _clock = clock;
        var now = clock.Now;
        _grantor = new LeaseGrantor(settings.VipId, settings.Self, settings.Voters, settings.Timings, now);
        _candidate = new LeaseCandidate(settings.VipId, settings.Self, settings.Priority, settings.Voters, settings.Timings, now);
        _transport = settings.Voters.Any(v => v != settings.Self) ? LeaseTransportExtension.Get(Context.System).Transport : null;
        _path = Self.Path.ToStringWithoutAddress();

        Receive<LeaseRequest>(r => Route(_grantor.OnRequest(r, _clock.Now)));
        Receive<LeaseRelease>(r => Route(_grantor.OnRelease(r, _clock.Now)));
        Receive<EpochQuery>(q => Route(_grantor.OnEpochQuery(q)));
        Receive<EpochReport>(r => Route(_grantor.OnEpochReport(r, _clock.Now)));
        Receive<LeaseGranted>(g => Apply(_candidate.OnGranted(g, _clock.Now)));
        Receive<LeaseRejected>(r =>
        {
            if (r.HolderOwning && r.Holder != _knownOwner) { _knownOwner = r.Holder; Publish(); }
            Apply(_candidate.OnRejected(r, _clock.Now));
        });
        Receive<RefreshTick>(_ =>
        {
            if (_actionInFlight || _appliedEpoch is not { } epoch || _wantedEpoch != epoch) return;
            _actionInFlight = true;
            _actions.RefreshAsync(Announcement(epoch)).ContinueWith(t => new RefreshDone(t.Exception?.GetBaseException().Message)).PipeTo(Self);
        });
        Receive<RefreshDone>(d =>
        {
            _actionInFlight = false;
            if (d.Error != _lastError) { _lastError = d.Error; Publish(); }
            Reconcile();
        });
        Receive<Tick>(_ =>
        {
            var now = _clock.Now;
            Route(_grantor.OnTick(now));
            Apply(_candidate.Tick(now));
        });
        Receive<ActionDone>(OnActionDone);
        Receive<Release>(_ => OnRelease());
    }

    protected override void PreStart()
    {
        Self.Tell(Tick.Instance);
        Publish();
    }

    protected override void PostStop()
    {
        if (Context.System.HasExtension<Akka.Cluster.Cluster>()) Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
    }

    private void Apply(CandidateStep step)
    {
        Route(step.Send);
        var now = _clock.Now;
        switch (step.Change)
        {
            case OwnershipChange.Acquired:
                _wantedEpoch = step.Epoch;
                _knownOwner = _s.Self;
                _since = now;
                _log.Info("VIP {0}: acquired lease at epoch {1}", _s.Ip, step.Epoch);
                break;
            case OwnershipChange.Lost:
                _wantedEpoch = null;
                _knownOwner = null;
                _since = null;
                _log.Warning("VIP {0}: lease at epoch {1} lost", _s.Ip, step.Epoch);
                break;
        }
        if (step.Change != OwnershipChange.None) { Publish(); Reconcile(); }
        ScheduleNext();
    }

    private void Route(IReadOnlyList<Outgoing> messages)
    {
        foreach (var m in messages)
        {
            if (m.To == _s.Self) Self.Tell(m.Message, Self);
            // Every voter, whatever membership says: a node restarting is out of the membership until its old
            // incarnation is removed, and the survivors' majority may need its vote before then. Peers' electors
            // sit at the same path as this one. Lost messages are fine; safety rests on the lease alone.
            else if (_transport is not null) _transport.Tell(new LeaseUdpTransport.Send(m.To, _path, m.Message));
            else Context.ActorSelection($"{m.To}{_path}").Tell(m.Message, Self);
        }
        ScheduleNext();
    }

    private void ScheduleNext()
    {
        var now = _clock.Now;
        var next = new[] { _grantor.NextDeadline(now), _candidate.NextDeadline }.Where(d => d.HasValue).Select(d => d!.Value).DefaultIfEmpty(TimeSpan.MaxValue).Min();
        if (next == TimeSpan.MaxValue) { Timers.Cancel("tick"); return; }
        var delay = next - now;
        Timers.StartSingleTimer("tick", Tick.Instance, delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
    }

    private VipAnnouncement Announcement(long epoch) => new(_s.Ip, _s.Link, epoch);

    /// <summary>Brings the owner actions in line with the lease, one action at a time; results come back as
    /// <see cref="ActionDone"/> so the actor never blocks on them.</summary>
    private void Reconcile()
    {
        if (_actionInFlight || _appliedEpoch == _wantedEpoch) return;
        _actionInFlight = true;
        if (_appliedEpoch is { } applied)
        {
            // Withdraw first, also when moving to a new epoch: never announce for a lease we no longer hold.
            _actions.ReleaseAsync(Announcement(applied)).ContinueWith(t => new ActionDone(false, applied, t.Exception?.GetBaseException().Message)).PipeTo(Self);
        }
        else
        {
            var epoch = _wantedEpoch!.Value;
            _actions.AcquireAsync(Announcement(epoch)).ContinueWith(t => new ActionDone(true, epoch, t.Exception?.GetBaseException().Message)).PipeTo(Self);
        }
    }

    private void OnActionDone(ActionDone d)
    {
        _actionInFlight = false;
        _lastError = d.Error;
        if (d.Error is not null) _log.Error("VIP {0}: {1} failed: {2}", _s.Ip, d.Acquire ? "acquire" : "release", d.Error);
        // A failed acquire may have half-applied: treat it as applied so it is released when the lease goes.
        _appliedEpoch = d.Acquire ? d.Epoch : null;
        if (_appliedEpoch is not null && _s.Refresh > TimeSpan.Zero)
            Timers.StartPeriodicTimer("refresh", RefreshTick.Instance, _s.Refresh);
        else
            Timers.Cancel("refresh");
        Publish();
        if (_pendingRelease is not null && _appliedEpoch is null && !_actionInFlight)
        {
            FinishRelease();
            return;
        }
        Reconcile();
    }

    private void OnRelease()
    {
        _releaseRequester = Sender;
        var step = _candidate.Release(_clock.Now);
        _wantedEpoch = null;
        _knownOwner = null;
        _since = null;
        _pendingRelease = step.Send;
        Publish();
        if (_appliedEpoch is null && !_actionInFlight) FinishRelease();
        else Reconcile();
    }

    private void FinishRelease()
    {
        Route(_pendingRelease!);
        _pendingRelease = null;
        _releaseRequester?.Tell(new Released(_s.VipId));
        _releaseRequester = null;
    }

    private void Publish() => _listener.Tell(new VipStatus(_s.VipId, _s.Ip, _s.Link,
        _wantedEpoch is not null ? _s.Self : _knownOwner, _wantedEpoch ?? _candidate.Epoch, _since, _s.AnnouncerName, _lastError));
}
