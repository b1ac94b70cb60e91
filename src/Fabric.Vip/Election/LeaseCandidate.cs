namespace Fabric.Vip.Election;

/// <summary>What changed in a candidate's belief after one input.</summary>
public enum OwnershipChange { None, Acquired, Lost }

/// <summary>The result of feeding one input to <see cref="LeaseCandidate"/>: messages to send, and whether this
/// node just became (or stopped being) the owner.</summary>
public readonly record struct CandidateStep(IReadOnlyList<Outgoing> Send, OwnershipChange Change, long Epoch)
{
    public static CandidateStep Nothing(long epoch) => new([], OwnershipChange.None, epoch);
}

/// <summary>One node's candidate/owner side for one VIP: pure state, time passed in by the caller. The node need not
/// be a voter itself: safety rests on the grantors' exclusivity, not on who asks.
/// <para>The owner counts each grant from the instant it <i>sent</i> the request round that was granted, for
/// <see cref="LeaseTimings.OwnerValidity"/>, and holds the lease only while a majority of voters' grants at its
/// current epoch are still counted. It never extends a grant past that, so a late reply cannot stretch it.</para>
/// <para>Non-owners keep asking every renew interval, which keeps them registered as waiting at every grantor;
/// when a grant expires or is released, grantors hand it to the best-ranked live waiter at once.</para></summary>
public sealed class LeaseCandidate
{
    private readonly string _vipId;
    private readonly string _self;
    private readonly int _priority;
    private readonly IReadOnlyList<string> _voters;
    private readonly LeaseTimings _timings;
    private readonly Dictionary<long, (long Epoch, TimeSpan SentAt)> _rounds = new();
    private readonly Dictionary<string, TimeSpan> _counted = new(StringComparer.Ordinal);
    private long _epoch = 1;
    // The epoch this attempt (or ownership period) started at: the fencing token. While owning, requests may
    // move to a higher epoch to win back a grantor that forgot us; grants at or above the floor all count.
    private long _floor = 1;
    private long _knownHighest;
    private long _seq;
    private bool _owner;
    private bool _stopped;
    private TimeSpan _nextSendAt;

    private readonly long _nonce;

    public LeaseCandidate(string vipId, string self, int priority, IReadOnlyList<string> voters, LeaseTimings timings, TimeSpan now, long? nonce = null)
    {
        _nonce = nonce ?? Random.Shared.NextInt64();
        _vipId = vipId;
        _self = self;
        _priority = priority;
        _voters = voters.Distinct().ToArray();
        _timings = timings;
        _nextSendAt = now;
    }

    public int Majority => _voters.Count / 2 + 1;
    /// <summary>The fencing token: the epoch this ownership period (or current attempt) began with.</summary>
    public long Epoch => _floor;
    public bool Stopped => _stopped;

    /// <summary>The belief that matters: true only while a majority of grants is still counted at this instant,
    /// even if no input has arrived since the lease ran out.</summary>
    public bool HoldsLease(TimeSpan now) => _owner && !_stopped && ValidUntil() > now;

    /// <summary>The instant the lease runs out unless renewed, while owning.</summary>
    public TimeSpan? OwnerUntil => _owner ? ValidUntil() : null;

    /// <summary>When <see cref="Tick"/> must be called next: the next request round, or the end of the lease.</summary>
    public TimeSpan? NextDeadline => _stopped ? null : _owner && ValidUntil() < _nextSendAt ? ValidUntil() : _nextSendAt;

    public CandidateStep Tick(TimeSpan now)
    {
        if (_stopped) return CandidateStep.Nothing(_floor);
        var change = CheckExpiry(now);
        var send = new List<Outgoing>();
        if (now >= _nextSendAt) SendRound(now, send);
        return new CandidateStep(send, change, _floor);
    }

    public CandidateStep OnGranted(LeaseGranted g, TimeSpan now)
    {
        _knownHighest = Math.Max(_knownHighest, g.Epoch);
        var change = CheckExpiry(now);
        if (_stopped || g.Nonce != _nonce || g.Epoch < _floor || !_rounds.TryGetValue(g.Seq, out var round) || round.Epoch != g.Epoch)
            return new CandidateStep([], change, _floor);
        var until = round.SentAt + _timings.OwnerValidity;
        if (!_counted.TryGetValue(g.Grantor, out var had) || had < until) _counted[g.Grantor] = until;
        if (!_owner && ValidUntil() > now)
        {
            _owner = true;
            // Renew straight away: a grant handed over from the waiting list may answer a request sent a while ago.
            _nextSendAt = now;
            var send = new List<Outgoing>();
            SendRound(now, send);
            return new CandidateStep(send, OwnershipChange.Acquired, _floor);
        }
        return new CandidateStep([], change, _floor);
    }

    public CandidateStep OnRejected(LeaseRejected r, TimeSpan now)
    {
        if (r.Nonce != _nonce) return CandidateStep.Nothing(_floor);
        _knownHighest = Math.Max(_knownHighest, r.HighestGranted);
        var change = CheckExpiry(now);
        if (_stopped) return new CandidateStep([], change, _floor);
        if (_owner)
        {
            // A grantor that dropped us (expired during a blip, or restarted) only grants above what it has seen.
            if (r.Epoch == _epoch && r.HighestGranted >= _epoch) _epoch = Math.Max(_epoch, _knownHighest) + 1;
            return new CandidateStep([], change, _floor);
        }
        var send = new List<Outgoing>();
        // Yield only to a duelling candidate. An owning holder may have just died with its grant not yet expired
        // here; if it is alive, grantors stop renewing our partial grants in its favour anyway.
        var betterRival = r.Holder is { } h && h != _self && !r.HolderOwning &&
            CandidateRank.IsBetter(r.HolderPriority, h, _priority, _self);
        if (betterRival && _counted.Count > 0)
        {
            // Yield the partial grants so their grantors hand them to the better candidate now instead of
            // both of us waiting a whole lease duration for them to expire.
            foreach (var v in _voters) send.Add(new Outgoing(v, new LeaseRelease(_vipId, _self, _epoch, _nonce)));
            NewEpoch();
        }
        else if (r.HighestGranted >= _epoch && r.Epoch == _epoch)
        {
            NewEpoch();
        }
        return new CandidateStep(send, change, _floor);
    }

    /// <summary>Graceful stop: the caller must already have stopped announcing when it sends these releases.
    /// The candidate never asks again.</summary>
    public CandidateStep Release(TimeSpan now)
    {
        if (_stopped) return CandidateStep.Nothing(_floor);
        var wasOwner = HoldsLease(now);
        _stopped = true;
        _owner = false;
        var send = _voters.Select(v => new Outgoing(v, new LeaseRelease(_vipId, _self, _epoch, _nonce))).ToList();
        _counted.Clear();
        return new CandidateStep(send, wasOwner ? OwnershipChange.Lost : OwnershipChange.None, _floor);
    }

    private OwnershipChange CheckExpiry(TimeSpan now)
    {
        if (!_owner || ValidUntil() > now) return OwnershipChange.None;
        _owner = false;
        NewEpoch();
        _nextSendAt = now;
        return OwnershipChange.Lost;
    }

    private void NewEpoch()
    {
        _epoch = Math.Max(_epoch, _knownHighest) + 1;
        _floor = _epoch;
        _counted.Clear();
    }

    private void SendRound(TimeSpan now, List<Outgoing> send)
    {
        var seq = ++_seq;
        _rounds[seq] = (_epoch, now);
        foreach (var old in _rounds.Where(kv => now - kv.Value.SentAt > _timings.Duration).Select(kv => kv.Key).ToList())
            _rounds.Remove(old);
        // Own attempts stay out of KnownHighest: echoed back by a grantor they would make us outbid ourselves.
        var request = new LeaseRequest(_vipId, _self, _priority, _epoch, seq, Math.Min(_knownHighest, _epoch - 1), _owner, _nonce);
        foreach (var v in _voters) send.Add(new Outgoing(v, request));
        _nextSendAt = now + _timings.RenewInterval;
    }

    /// <summary>The instant until which a majority of grants is counted: the Majority-th latest count.</summary>
    private TimeSpan ValidUntil()
    {
        if (_counted.Count < Majority) return TimeSpan.MinValue;
        return _counted.Values.OrderByDescending(t => t).ElementAt(Majority - 1);
    }
}
