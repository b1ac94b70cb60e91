using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Fabric.Vip.Election.Transport;

namespace Fabric.Vip.Election;

/// <summary>Elects the owner of one VIP among the nodes that configure it and drives the owner actions.
/// Hosts this node's grantor and candidate for the VIP (pure logic in <see cref="LeaseGrantor"/> and
/// <see cref="LeaseCandidate"/>), talks to the same actor on peers at /user/vip/&lt;vip-id&gt; (or the
/// <see cref="VipElectorSettings.PeerPath"/> its user chose). Cluster membership only tells it where peers are;
/// whether it owns the VIP is decided by the lease majority alone.
/// <para>A node outside the voters runs no grantor; a node that is not (or no longer) a candidate only votes. Turning
/// candidacy off withdraws and releases like a graceful stop, so the next candidate takes over at once; turning it
/// on again starts a new candidate incarnation.</para></summary>
public sealed class VipElector : ReceiveActor, IWithTimers
{
    /// <summary>Graceful stop: withdraw, then release the lease so the next owner takes over at once.
    /// Replies <see cref="Released"/> when the releases are sent.</summary>
    public sealed record Release
    {
        public static readonly Release Instance = new();
    }

    public sealed record Released(string VipId);

    /// <summary>Become a candidate, or stop being one (withdraw and release at once) while still voting.
    /// Ignored after <see cref="Release"/>.</summary>
    public sealed record SetCandidacy(bool Candidate);

    private sealed record Tick { public static readonly Tick Instance = new(); }
    private sealed record RefreshTick { public static readonly RefreshTick Instance = new(); }
    private sealed record ActionDone(bool Acquire, long Epoch, string? Error);
    private sealed record RefreshDone(string? Error);

    private readonly VipElectorSettings _s;
    private readonly IVipOwnerActions _actions;
    private readonly IActorRef _listener;
    private readonly IMonotonicClock _clock;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // Null when this node is not a voter.
    private readonly LeaseGrantor? _grantor;
    // Null until this node is first a candidate; stopped (kept for its epoch) after it withdrew.
    private LeaseCandidate? _candidate;
    private bool _candidacyWanted;
    private bool _shuttingDown;
    private readonly IActorRef? _transport;
    private readonly string _peerElector;

    // What the owner actions have made true, what the lease says should be, and one action at a time.
    private long? _appliedEpoch;
    private long? _wantedEpoch;
    private bool _actionInFlight;
    private TimeSpan? _since;
    private string? _lastError;
    // Informational only (shown in status): the owner named by grantors' rejections. Never used to decide.
    private string? _knownOwner;
    // The lease end the kernel fence was last opened to, while owning; the acquire waits for the first opening.
    private TimeSpan? _fencedUntil;
    private Task _fenceOpen = Task.CompletedTask;
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
        if (settings.Voters.Contains(settings.Self))
            _grantor = new LeaseGrantor(settings.VipId, settings.Self, settings.Voters, settings.Timings, now);
        _candidacyWanted = settings.Candidate;
        if (_candidacyWanted)
            _candidate = new LeaseCandidate(settings.VipId, settings.Self, settings.Priority, settings.Voters, settings.Timings, now);
        _transport = settings.Voters.Any(v => v != settings.Self) ? LeaseTransportExtension.Get(Context.System).Transport : null;
        _peerElector = $"{settings.PeerPath}/{settings.VipId}";

        Receive<LeaseRequest>(r => { if (_grantor is not null) RouteGranting(_grantor.OnRequest(r, _clock.Now)); });
        Receive<LeaseRelease>(r => { if (_grantor is not null) RouteGranting(_grantor.OnRelease(r, _clock.Now)); });
        Receive<EpochQuery>(q => { if (_grantor is not null) Route(_grantor.OnEpochQuery(q)); });
        Receive<EpochReport>(r => { if (_grantor is not null) RouteGranting(_grantor.OnEpochReport(r, _clock.Now)); });
        Receive<LeaseGranted>(g => { if (_candidate is not null) Apply(_candidate.OnGranted(g, _clock.Now)); });
        Receive<LeaseRejected>(r =>
        {
            if (_candidate is null) return;
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
            if (_grantor is not null) RouteGranting(_grantor.OnTick(now));
            if (_candidate is not null) Apply(_candidate.Tick(now));
        });
        Receive<ActionDone>(OnActionDone);
        Receive<Release>(_ => OnRelease());
        Receive<SetCandidacy>(m => OnSetCandidacy(m.Candidate));
    }

    private bool Candidate => _candidate is { Stopped: false };

    protected override void PreStart()
    {
        Self.Tell(Tick.Instance);
        Publish();
    }

    protected override void PostStop()
    {
        if (Context.System.HasExtension<Akka.Cluster.Cluster>()) Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        // Stopped without a release first (its parent failed, or a release timed out): the lease will lapse
        // unrenewed, so the address must not stay announced here after it does. Nothing waits for the result.
        CloseFence();
        if ((_appliedEpoch ?? (_actionInFlight ? _wantedEpoch : null)) is { } epoch)
            _actions.ReleaseAsync(Announcement(epoch)).ContinueWith(_ => { }, TaskScheduler.Default);
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
                _log.Info("{0} {1}: acquired lease at epoch {2}", _s.Subject, _s.Ip, step.Epoch);
                break;
            case OwnershipChange.Lost:
                CloseFence();
                _wantedEpoch = null;
                _knownOwner = null;
                _since = null;
                _log.Warning("{0} {1}: lease at epoch {2} lost", _s.Subject, _s.Ip, step.Epoch);
                break;
        }
        RenewFence();
        if (step.Change != OwnershipChange.None) { Publish(); Reconcile(); }
        ScheduleNext();
    }

    /// <summary>While owning, the kernel may answer for the address until the lease's end as this node counts it,
    /// and no longer: each grant that moves that end moves the fence's timeout with it.</summary>
    private void RenewFence()
    {
        if (_wantedEpoch is null || _candidate?.OwnerUntil is not { } until || until <= (_fencedUntil ?? TimeSpan.MinValue)) return;
        _fencedUntil = until;
        _fenceOpen = _s.Fence.OpenAsync(_s.Ip, until - _clock.Now);
    }

    private void CloseFence()
    {
        if (_fencedUntil is null) return;
        _fencedUntil = null;
        _s.Fence.Close(_s.Ip);
    }

    private void Route(IReadOnlyList<Outgoing> messages)
    {
        foreach (var m in messages)
        {
            if (m.To == _s.Self) Self.Tell(m.Message, Self);
            // Every voter, whatever membership says: a node restarting is out of the membership until its old
            // incarnation is removed, and the survivors' majority may need its vote before then. Lost messages are
            // fine; safety rests on the lease alone.
            else if (_transport is not null) _transport.Tell(new LeaseUdpTransport.Send(m.To, _peerElector, m.Message));
            else Context.ActorSelection($"{m.To}{_peerElector}").Tell(m.Message, Self);
        }
        ScheduleNext();
    }

    /// <summary>Grantor output; a node that is no candidate also learns from its own grant who announces.</summary>
    private void RouteGranting(IReadOnlyList<Outgoing> messages)
    {
        Route(messages);
        if (Candidate || _grantor is null) return;
        var holder = _grantor.OwningHolder(_clock.Now);
        if (holder == _knownOwner) return;
        _knownOwner = holder;
        Publish();
        ScheduleNext();
    }

    private void ScheduleNext()
    {
        var now = _clock.Now;
        // A voter that is no candidate also wakes when the grant it shows as the owner runs out.
        var shownGrantEnds = !Candidate && _knownOwner is not null ? _grantor?.ActiveGrant(now)?.ExpiresAt : null;
        var next = new[] { _grantor?.NextDeadline(now), _candidate?.NextDeadline, shownGrantEnds }.Where(d => d.HasValue).Select(d => d!.Value).DefaultIfEmpty(TimeSpan.MaxValue).Min();
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
            // The fence must let the address through before it goes up and is announced.
            _fenceOpen.ContinueWith(_ => _actions.AcquireAsync(Announcement(epoch)), TaskScheduler.Default).Unwrap().ContinueWith(t => new ActionDone(true, epoch, t.Exception?.GetBaseException().Message)).PipeTo(Self);
        }
    }

    private void OnActionDone(ActionDone d)
    {
        _actionInFlight = false;
        _lastError = d.Error;
        if (d.Error is not null) _log.Error("{0} {1}: {2} failed: {3}", _s.Subject, _s.Ip, d.Acquire ? "acquire" : "release", d.Error);
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
        _shuttingDown = true;
        _candidacyWanted = false;
        // A withdrawal already under way (candidacy turned off) answers when it is done.
        if (_pendingRelease is null) Withdraw();
    }

    private void OnSetCandidacy(bool candidate)
    {
        if (_shuttingDown) return;
        _candidacyWanted = candidate;
        if (!candidate && Candidate)
        {
            _log.Info("{0} {1}: no longer a candidate; withdrawing", _s.Subject, _s.Ip);
            Withdraw();
        }
        else StartCandidate();
    }

    /// <summary>Stops announcing, then releases the lease (the releases go out only once the owner actions have
    /// withdrawn), so the next candidate takes over at once.</summary>
    private void Withdraw()
    {
        var step = _candidate?.Release(_clock.Now) ?? CandidateStep.Nothing(0);
        CloseFence();
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
        StartCandidate();
    }

    /// <summary>A new candidate incarnation (fresh nonce), once any earlier one has withdrawn and released.</summary>
    private void StartCandidate()
    {
        if (!_candidacyWanted || _shuttingDown || _pendingRelease is not null || Candidate) return;
        var now = _clock.Now;
        _candidate = new LeaseCandidate(_s.VipId, _s.Self, _s.Priority, _s.Voters, _s.Timings, now);
        _knownOwner = null;
        Publish();
        Apply(_candidate.Tick(now));
    }

    private void Publish() => _listener.Tell(new VipStatus(_s.VipId, _s.Ip, _s.Link,
        _wantedEpoch is not null ? _s.Self : _knownOwner,
        _wantedEpoch ?? (Candidate ? _candidate!.Epoch : _grantor?.ActiveGrant(_clock.Now)?.Epoch ?? _candidate?.Epoch ?? 0),
        _since, _s.AnnouncerName, _lastError));
}
