namespace Fabric.Vip.Election;

/// <summary>One voter's grantor for one VIP: pure state, time passed in by the caller (its own monotonic clock).
/// <para>Safety rests on three rules. (1) While a grant is unexpired, no other candidate is granted: exclusivity.
/// (2) A grant lasts Duration from when the grantor <i>received</i> the request, while the owner counts
/// Duration × (1 − drift) from when it <i>sent</i> it, so the owner's belief ends before the grant does.
/// (3) Nothing is persisted, so a fresh grantor (process restart) may have granted before it died; it stays
/// quiet for one full Duration, by which time any grant it could have issued has expired.</para>
/// <para>Epochs are fencing tokens: a new holder is granted only an epoch above every epoch this grantor has
/// granted or heard of, so any two majorities (which share a grantor) order their owners. A restarted grantor
/// has forgotten its epochs, so before granting it relearns the highest from a majority of recovered peers
/// (every earlier owner's majority shares one of them). Only if a majority of voters lost their state at once
/// (e.g. a whole-cluster restart) may epochs start over; single-owner safety does not depend on epochs.</para></summary>
public sealed class LeaseGrantor
{
    private readonly string _vipId;
    private readonly string _self;
    private readonly LeaseTimings _timings;
    private readonly TimeSpan _quietUntil;
    private readonly Dictionary<string, Waiter> _waiters = new(StringComparer.Ordinal);
    private Grant? _grant;
    private long _highest;
    private (string Candidate, long Nonce)? _lastHolder;
    private readonly IReadOnlyList<string> _peers;
    private readonly int _majority;
    private readonly Dictionary<string, EpochReport> _reports = new(StringComparer.Ordinal);
    private bool _recovered;
    private TimeSpan _nextQueryAt;

    public LeaseGrantor(string vipId, string self, IReadOnlyList<string> voters, LeaseTimings timings, TimeSpan now)
    {
        _vipId = vipId;
        _self = self;
        _timings = timings;
        _quietUntil = now + timings.Duration;
        _peers = voters.Where(v => v != self).Distinct().ToArray();
        _majority = (_peers.Count + 1) / 2 + 1;
        _nextQueryAt = now;
        _recovered = _peers.Count == 0;
    }

    public bool Recovered => _recovered;

    public long HighestGranted => _highest;

    /// <summary>The unexpired grant, if any.</summary>
    public (string Holder, long Epoch, TimeSpan ExpiresAt)? ActiveGrant(TimeSpan now) =>
        _grant is { } g && now < g.ExpiresAt ? (g.Holder, g.Epoch, g.ExpiresAt) : null;

    /// <summary>The holder of the unexpired grant if its latest request said it owns the lease: informational (a
    /// voter that is no candidate shows who announces), never used to decide.</summary>
    public string? OwningHolder(TimeSpan now) => _grant is { } g && now < g.ExpiresAt && g.Owning ? g.Holder : null;

    /// <summary>When <see cref="OnTick"/> may have something to do: the end of the quiet period or the expiry of
    /// the grant, while a candidate is waiting for it.</summary>
    public TimeSpan? NextDeadline(TimeSpan now)
    {
        if (!_recovered) return _nextQueryAt < _quietUntil + _timings.RenewInterval ? _nextQueryAt : _quietUntil + _timings.RenewInterval;
        if (_waiters.Count == 0) return null;
        if (now < _quietUntil) return _quietUntil;
        return _grant is { } g && now < g.ExpiresAt ? g.ExpiresAt : null;
    }

    public IReadOnlyList<Outgoing> OnRequest(LeaseRequest r, TimeSpan now)
    {
        _highest = Math.Max(_highest, r.KnownHighest);
        var active = Current(now);
        if (now < _quietUntil || !_recovered)
        {
            Wait(r, now);
            return [Reject(r, null, 0, false)];
        }
        if (active is { } g)
        {
            if (Same(g, r) && r.Epoch == g.Epoch && !r.Owning && OwnerWaiting(now))
            {
                // A candidate that captured this grantor while the owner had lost it must not keep it by
                // re-asking: let it run out so the owner gets its majority back.
                return [Reject(r, g.Holder, g.Priority, g.Owning)];
            }
            if (Same(g, r) && r.Epoch == g.Epoch)
            {
                _grant = g with { ExpiresAt = Max(g.ExpiresAt, now + _timings.Duration), Owning = r.Owning };
                return [Granted(r)];
            }
            if (Same(g, r) && r.Epoch > _highest)
                return [GrantTo(r, now)];
            Wait(r, now);
            return [Reject(r, g.Holder, g.Priority, g.Owning)];
        }
        Wait(r, now);
        var best = BestWaiter(now);
        if (best is null) return [Reject(r, null, 0, false)];
        if (best.Request == r) return [GrantTo(r, now)];
        return [GrantTo(best.Request, now), Reject(r, best.Request.Candidate, best.Request.Priority, best.Request.Owning)];
    }

    /// <summary>Frees the grant at once if the releaser holds it at that epoch or below, and hands it to the best waiting
    /// candidate without delay (fast takeover on graceful stop).</summary>
    public IReadOnlyList<Outgoing> OnRelease(LeaseRelease r, TimeSpan now)
    {
        if (_waiters.TryGetValue(r.Candidate, out var w) && w.Request.Nonce == r.Nonce) _waiters.Remove(r.Candidate);
        if (Current(now) is { } g && g.Holder == r.Candidate && g.Nonce == r.Nonce && g.Epoch <= r.Epoch) _grant = null;
        // A renewal sent before the release but delivered after it must not re-grant the same epoch.
        if (_lastHolder == (r.Candidate, r.Nonce)) _lastHolder = null;
        return OnTick(now);
    }

    public IReadOnlyList<Outgoing> OnEpochQuery(EpochQuery q) =>
        [new Outgoing(q.From, new EpochReport(_vipId, _self, _highest, _recovered))];

    public IReadOnlyList<Outgoing> OnEpochReport(EpochReport r, TimeSpan now)
    {
        if (_recovered || !_peers.Contains(r.From)) return [];
        _reports[r.From] = r;
        return TryRecover(now) ? OnTick(now) : [];
    }

    /// <summary>A majority of recovered peers guarantees the epoch floor. Failing that (a majority lost its state,
    /// or is down while this one restarted), liveness wins once the quiet period and one more query round have
    /// passed: the floor is then the best known, and only epoch monotonicity, not exclusivity, is at risk.</summary>
    private bool TryRecover(TimeSpan now)
    {
        var recoveredPeers = _reports.Values.Count(x => x.Recovered);
        var giveUpAt = _quietUntil + _timings.RenewInterval;
        if (recoveredPeers < _majority && now < giveUpAt) return false;
        if (_reports.Count > 0) _highest = Math.Max(_highest, _reports.Values.Max(x => x.HighestGranted));
        _recovered = true;
        _reports.Clear();
        return true;
    }

    /// <summary>Asks peers for epochs while relearning; hands an expired (or never taken) grant to the best
    /// waiting candidate.</summary>
    public IReadOnlyList<Outgoing> OnTick(TimeSpan now)
    {
        if (!_recovered && TryRecover(now)) return OnTick(now);
        if (!_recovered)
        {
            if (now < _nextQueryAt) return [];
            _nextQueryAt = now + _timings.RenewInterval;
            return _peers.Select(p => new Outgoing(p, new EpochQuery(_vipId, _self))).ToList();
        }
        if (now < _quietUntil || Current(now) is not null) return [];
        var best = BestWaiter(now);
        return best is null ? [] : [GrantTo(best.Request, now)];
    }

    private Grant? Current(TimeSpan now)
    {
        if (_grant is { } g && now >= g.ExpiresAt) _grant = null;
        return _grant;
    }

    private bool OwnerWaiting(TimeSpan now) =>
        _waiters.Values.Any(w => w.Request.Owning && now - w.ReceivedAt <= _timings.CandidateFreshness);

    private void Wait(LeaseRequest r, TimeSpan now) => _waiters[r.Candidate] = new Waiter(r, now);


    private bool Eligible(LeaseRequest r) => r.Epoch > _highest || (r.Epoch == _highest && (r.Candidate, r.Nonce) == _lastHolder);

    /// <summary>The preferred live waiter, but only if its epoch can be granted. If the preferred one is not
    /// eligible nobody is granted: it learns the highest epoch from the rejection and asks again, while
    /// granting the runner-up instead would only start a duel the preferred one wins a round later.</summary>
    private Waiter? BestWaiter(TimeSpan now)
    {
        Waiter? best = null;
        foreach (var (name, w) in _waiters.ToList())
        {
            if (now - w.ReceivedAt > _timings.CandidateFreshness) { _waiters.Remove(name); continue; }
            if (best is null || Prefer(w.Request, best.Request)) best = w;
        }
        return best is not null && Eligible(best.Request) ? best : null;
    }

    // An owner renewing elsewhere wins over a mere candidate, so a grantor that lost touch with the owner
    // (expiry during a blip, restart) rejoins its majority instead of being captured by a rival.
    private static bool Prefer(LeaseRequest a, LeaseRequest b) =>
        a.Owning != b.Owning ? a.Owning : CandidateRank.IsBetter(a.Priority, a.Candidate, b.Priority, b.Candidate);

    private Outgoing GrantTo(LeaseRequest r, TimeSpan now)
    {
        _grant = new Grant(r.Candidate, r.Nonce, r.Priority, r.Owning, r.Epoch, now + _timings.Duration);
        _highest = Math.Max(_highest, r.Epoch);
        _lastHolder = (r.Candidate, r.Nonce);
        _waiters.Remove(r.Candidate);
        return Granted(r);
    }

    private Outgoing Granted(LeaseRequest r) =>
        new(r.Candidate, new LeaseGranted(_vipId, _self, r.Candidate, r.Epoch, r.Seq, r.Nonce));

    private Outgoing Reject(LeaseRequest r, string? holder, int holderPriority, bool holderOwning) =>
        new(r.Candidate, new LeaseRejected(_vipId, _self, r.Candidate, r.Epoch, r.Seq, r.Nonce, holder, holderPriority, holderOwning, _highest));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    // A holder is a candidate incarnation: a restarted node keeps its name but not its beliefs, and a release or
    // renewal from one incarnation must never act on a grant held by another.
    private static bool Same(Grant g, LeaseRequest r) => g.Holder == r.Candidate && g.Nonce == r.Nonce;

    private sealed record Grant(string Holder, long Nonce, int Priority, bool Owning, long Epoch, TimeSpan ExpiresAt);
    private sealed record Waiter(LeaseRequest Request, TimeSpan ReceivedAt);
}
