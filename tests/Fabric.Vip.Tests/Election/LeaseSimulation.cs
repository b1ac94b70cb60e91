using Fabric.Vip.Election;

namespace Fabric.Vip.Tests.Election;

/// <summary>A deterministic discrete-event world for the pure lease logic: nodes with drifting clocks, a network
/// that delays, drops, reorders and partitions, crashes, restarts and graceful stops. After every event it checks
/// that at most one node holds a valid lease and that ownership epochs only grow.</summary>
internal sealed class LeaseSimulation
{
    public const string Vip = "vip-1";
    private readonly Random _rng;
    private readonly LeaseTimings _timings;
    private readonly PriorityQueue<Action, (long At, long Seq)> _events = new();
    private readonly List<string> _log = [];
    private long _eventSeq;
    private (string Node, int Incarnation, long Epoch)? _lastOwner;
    private readonly Dictionary<string, int> _incarnationsAtPeriod = [];
    public int EpochBaselineResets { get; private set; }
    public int EpochRegressions { get; private set; }
    public bool StrictEpochs { get; set; } = true;

    public LeaseSimulation(int seed, int nodes, LeaseTimings timings)
    {
        _rng = new Random(seed);
        _timings = timings;
        var voters = Enumerable.Range(1, nodes).Select(i => $"n{i}").ToArray();
        Nodes = voters.Select(n => new SimNode(n, voters)).ToArray();
        foreach (var n in Nodes) Start(n);
    }

    public SimNode[] Nodes { get; }
    public long NowUs { get; private set; }
    public int[] Group { get; set; } = new int[16];
    public double DropRate { get; set; }
    public bool Verbose { get; set; }
    public TextWriter? DumpTo { get; set; }
    public double LongDelayRate { get; set; }
    public int Majority => Nodes.Length / 2 + 1;
    public int OwnerChanges { get; private set; }
    public int MaxObservedOwners { get; private set; }

    /// <summary>Largest allowed drift of one clock from real time such that any two clocks' rates differ by a
    /// factor within 1 / (1 − margin): (1 + x) / (1 − x) ≤ 1 / (1 − m) ⇔ x ≤ m / (2 − m).</summary>
    public double MaxRateError => RateErrorOverride ?? _timings.DriftMargin / (2 - _timings.DriftMargin) * 0.98;

    /// <summary>For checking the checker: clocks drifting beyond what the margin covers.</summary>
    public double? RateErrorOverride { get; init; }

    public TimeSpan Local(SimNode n) => TimeSpan.FromTicks(n.OffsetTicks + (long)(n.Rate * (NowUs * 10 - n.StartTicksGlobal)));

    public SimNode? Owner() => Nodes.SingleOrDefault(n => n.Alive && n.Candidate!.HoldsLease(Local(n)));

    public void RunUntil(long untilUs)
    {
        while (_events.TryPeek(out _, out var key) && key.At <= untilUs)
        {
            var action = _events.Dequeue();
            NowUs = key.At;
            action();
            Check();
        }
        NowUs = untilUs;
        Check();
    }

    public void At(long us, Action action) => _events.Enqueue(action, (us, ++_eventSeq));

    public void Crash(SimNode n)
    {
        if (!n.Alive) return;
        n.Alive = false;
        n.Incarnation++;
        Log($"crash {n.Name}");
    }

    public void Start(SimNode n)
    {
        n.Alive = true;
        n.Incarnation++;
        // A restarted process gets a new monotonic origin and its clock may run at any rate within the bound.
        n.Rate = 1 + (_rng.NextDouble() * 2 - 1) * MaxRateError;
        n.OffsetTicks = _rng.NextInt64(0, TimeSpan.FromHours(1).Ticks);
        n.StartTicksGlobal = NowUs * 10;
        var now = Local(n);
        n.Grantor = new LeaseGrantor(Vip, n.Name, n.Voters, _timings, now);
        n.Candidate = new LeaseCandidate(Vip, n.Name, 0, n.Voters, _timings, now, _rng.NextInt64());
        Log($"start {n.Name} rate {n.Rate:F4}");
        Wake(n);
    }

    /// <summary>The clock of a live node changes pace (temperature, NTP slewing): still within the bound.</summary>
    public void Drift(SimNode n)
    {
        if (!n.Alive) return;
        var local = Local(n);
        n.OffsetTicks = local.Ticks;
        n.StartTicksGlobal = NowUs * 10;
        n.Rate = 1 + (_rng.NextDouble() * 2 - 1) * MaxRateError;
        Log($"drift {n.Name} rate {n.Rate:F4}");
    }

    /// <summary>Graceful stop: release, then the process exits a moment later (messages already sent still fly).</summary>
    public void Stop(SimNode n)
    {
        if (!n.Alive) return;
        var step = n.Candidate!.Release(Local(n));
        Send(n, step.Send);
        Log($"stop {n.Name}");
        var inc = n.Incarnation;
        At(NowUs + 500, () => { if (n.Incarnation == inc) Crash(n); });
    }

    private void Wake(SimNode n)
    {
        var now = Local(n);
        var deadlines = new[] { n.Grantor!.NextDeadline(now), n.Candidate!.NextDeadline }.Where(d => d.HasValue).Select(d => d!.Value).ToList();
        if (deadlines.Count == 0) return;
        var localTarget = deadlines.Min();
        var gen = ++n.WakeGeneration;
        var inc = n.Incarnation;
        var atUs = (long)Math.Ceiling(((localTarget.Ticks - n.OffsetTicks) / n.Rate + n.StartTicksGlobal) / 10.0) + 1;
        At(Math.Max(atUs, NowUs), () =>
        {
            if (!n.Alive || n.Incarnation != inc || n.WakeGeneration != gen) return;
            var t = Local(n);
            Send(n, n.Grantor.OnTick(t));
            var step = n.Candidate.Tick(t);
            Note(n, step);
            Send(n, step.Send);
            Wake(n);
        });
    }

    private void Send(SimNode from, IReadOnlyList<Outgoing> messages)
    {
        foreach (var m in messages)
        {
            var to = Nodes.Single(x => x.Name == m.To);
            long delay;
            if (to == from) delay = 20;
            else
            {
                if (Group[from.Index] != Group[to.Index] || _rng.NextDouble() < DropRate) continue;
                delay = _rng.NextDouble() < LongDelayRate
                    ? _rng.NextInt64(0, (long)(_timings.Duration.TotalMicroseconds * 1.5))
                    : _rng.NextInt64(100, 3000);
            }
            At(NowUs + delay, () => Deliver(to, m.Message));
        }
    }

    private void Deliver(SimNode n, object message)
    {
        if (!n.Alive) return;
        var now = Local(n);
        if (Verbose) Log($"{n.Name} <- {message}");
        switch (message)
        {
            case LeaseRequest r: Send(n, n.Grantor!.OnRequest(r, now)); break;
            case LeaseRelease r: Send(n, n.Grantor!.OnRelease(r, now)); break;
            case EpochQuery q: Send(n, n.Grantor!.OnEpochQuery(q)); break;
            case EpochReport r: Send(n, n.Grantor!.OnEpochReport(r, now)); break;
            case LeaseGranted g: { var s = n.Candidate!.OnGranted(g, now); Note(n, s); Send(n, s.Send); break; }
            case LeaseRejected j: { var s = n.Candidate!.OnRejected(j, now); Note(n, s); Send(n, s.Send); break; }
        }
        Wake(n);
    }

    private void Note(SimNode n, CandidateStep step)
    {
        if (step.Change != OwnershipChange.None) Log($"{n.Name} {step.Change} epoch {step.Epoch}");
    }

    private void Check()
    {
        var owners = Nodes.Where(n => n.Alive && n.Candidate!.HoldsLease(Local(n))).ToList();
        MaxObservedOwners = Math.Max(MaxObservedOwners, owners.Count);
        if (owners.Count > 1)
            throw new InvariantException($"two owners at {NowUs} us: {string.Join(", ", owners.Select(o => $"{o.Name}@{o.Candidate!.Epoch}"))}", _log);
        if (owners.Count == 1)
        {
            var o = owners[0];
            var key = (o.Name, o.Incarnation, o.Candidate!.Epoch);
            if (_lastOwner != key)
            {
                // Nothing is persisted: unless a majority of voters kept their state (same incarnation, up) since the
                // previous owner started, epochs may start over.
                var kept = Nodes.Count(n => n.Alive && _incarnationsAtPeriod.TryGetValue(n.Name, out var inc) && inc == n.Incarnation);
                if (_lastOwner is not null && kept < Majority) { _lastOwner = null; EpochBaselineResets++; }
                _incarnationsAtPeriod.Clear();
                foreach (var n in Nodes.Where(n => n.Alive)) _incarnationsAtPeriod[n.Name] = n.Incarnation;
                // A node that restarts may take back its own last epoch: the token still names one owner.
                if (_lastOwner is { } last && (o.Candidate.Epoch < last.Epoch || (o.Candidate.Epoch == last.Epoch && o.Name != last.Node)))
                {
                    EpochRegressions++;
                    if (StrictEpochs)
                        throw new InvariantException($"epoch went back at {NowUs} us: {o.Name}@{o.Candidate.Epoch} after {last.Node}@{last.Epoch}", _log);
                }
                _lastOwner = key;
                OwnerChanges++;
                Log($"owner {o.Name} epoch {o.Candidate.Epoch}");
            }
        }
    }

    public string Tail => string.Join(Environment.NewLine, _log.TakeLast(60));

    public void Log(string line)
    {
        _log.Add($"{NowUs / 1000.0,10:F3} ms {line}");
        DumpTo?.WriteLine(_log[^1]);
        if (_log.Count > 400) _log.RemoveRange(0, 100);
    }

    internal sealed class SimNode(string name, string[] voters)
    {
        public string Name { get; } = name;
        public int Index { get; } = int.Parse(name[1..]);
        public string[] Voters { get; } = voters;
        public bool Alive { get; set; }
        public int Incarnation { get; set; }
        public double Rate { get; set; } = 1;
        public long OffsetTicks { get; set; }
        public long StartTicksGlobal { get; set; }
        public long WakeGeneration { get; set; }
        public LeaseGrantor? Grantor { get; set; }
        public LeaseCandidate? Candidate { get; set; }
    }
}

internal sealed class InvariantException(string message, IEnumerable<string> log)
    : Exception(message + Environment.NewLine + string.Join(Environment.NewLine, log.TakeLast(80)));
