using Fabric.Vip.Election;

namespace Fabric.Vip.Tests.Election;

public sealed class LeaseSimulationTests
{
    private static readonly LeaseTimings Timings = LeaseTimings.Default;
    private static long Ms(double ms) => (long)(ms * 1000);
    private static readonly long D = (long)Timings.Duration.TotalMicroseconds;

    /// <summary>100 seeds per cluster size by default (a few seconds); FABRIC_SIM_SEEDS=1000 for a long soak.</summary>
    public static IEnumerable<object[]> Seeds() =>
        from n in new[] { 3, 5 }
        from seed in Enumerable.Range(1, int.TryParse(Environment.GetEnvironmentVariable("FABRIC_SIM_SEEDS"), out var k) ? k : 100)
        select new object[] { n, seed };

    /// <summary>Chaos phases (crashes, restarts, graceful stops, partitions, drops, long delays, drifting clocks)
    /// alternate with calm phases. Safety is checked after every event by the simulation; at the end of each calm
    /// phase, with a majority alive and connected, someone must own the VIP.</summary>
    /// <summary>The hard safety property only: never two valid owners, whatever happens.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Never_two_owners_under_chaos(int nodes, int seed) => RunChaos(nodes, seed, strict: false);

    /// <summary>Also epoch monotonicity and liveness after every calm phase. KNOWN FAILING for a minority of
    /// seeds (see the report): a few calm phases end without owner, and epochs occasionally go back after
    /// restarts under partitions.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Chaos_keeps_epochs_monotonic_and_calm_majority_elects(int nodes, int seed) => RunChaos(nodes, seed, strict: true);

    /// <summary>The checker has teeth: with clocks drifting far beyond the margin and no guard, some runs must
    /// show two owners at once.</summary>
    [Fact]
    public void Drift_beyond_the_margin_is_caught_by_the_checker()
    {
        var broken = Timings with { DriftMargin = 0, ActionGuard = TimeSpan.Zero };
        var caught = 0;
        for (var seed = 1; seed <= 60; seed++)
        {
            try { RunChaos(3, seed, strict: false, timings: broken, rateError: 0.3); }
            catch (InvariantException) { caught++; }
            catch (Xunit.Sdk.XunitException) { }
        }
        Assert.True(caught > 0, "no violation detected with clocks 30 % off and no drift margin");
    }

    private static void RunChaos(int nodes, int seed, bool strict, TextWriter? dump = null, LeaseTimings? timings = null, double? rateError = null)
    {
        var sim = new LeaseSimulation(seed * 7919 + nodes, nodes, timings ?? Timings)
        {
            StrictEpochs = strict, DumpTo = dump, Verbose = dump is not null, RateErrorOverride = rateError,
        };
        var rng = new Random(seed);
        long t = 0;
        for (var cycle = 0; cycle < 12; cycle++)
        {
            var chaosEnd = t + Ms(rng.Next(300, 3000));
            while (t < chaosEnd)
            {
                t += Ms(rng.Next(5, 400));
                sim.RunUntil(t);
                Chaos(sim, rng);
            }
            // Calm: heal, stop losing messages, bring back all but a minority (after pending graceful exits).
            t += Ms(1);
            sim.RunUntil(t);
            sim.Group = new int[16];
            sim.DropRate = 0;
            sim.LongDelayRate = 0;
            var dead = sim.Nodes.Where(n => !n.Alive).ToList();
            var keepDead = rng.Next(0, nodes - sim.Majority + 1);
            foreach (var n in dead.Skip(keepDead)) sim.Start(n);
            // Worst case: a stale grant lives out Duration, a restarted grantor stays quiet Duration, and delayed
            // messages from the chaos phase (up to 1.5 × Duration) land meanwhile.
            t += 5 * D;
            sim.RunUntil(t);
            if (strict) Assert.True(sim.Owner() is not null, $"no owner after calm phase {cycle} (seed {seed}, {nodes} nodes)\n{sim.Tail}");
        }
        Assert.Equal(1, sim.MaxObservedOwners);
    }

    private static void Chaos(LeaseSimulation sim, Random rng)
    {
        var alive = sim.Nodes.Where(n => n.Alive).ToList();
        var dead = sim.Nodes.Where(n => !n.Alive).ToList();
        switch (rng.Next(9))
        {
            case 0 when alive.Count > 0:
                sim.Crash(sim.Owner() ?? alive[rng.Next(alive.Count)]);
                break;
            case 1 when dead.Count > 0:
                sim.Start(dead[rng.Next(dead.Count)]);
                break;
            case 2 when sim.Owner() is { } owner:
                sim.Stop(owner);
                break;
            case 3:
            case 4:
                var groups = new int[16];
                foreach (var n in sim.Nodes) groups[n.Index] = rng.Next(2);
                sim.Group = groups;
                sim.Log($"partition {string.Join(" ", sim.Nodes.Select(n => $"{n.Name}:{groups[n.Index]}"))}");
                break;
            case 5:
                sim.Group = new int[16];
                sim.Log("heal");
                break;
            case 6:
                sim.DropRate = rng.NextDouble() * 0.5;
                break;
            case 7:
                sim.LongDelayRate = rng.NextDouble() * 0.3;
                break;
            default:
                foreach (var n in alive) sim.Drift(n);
                break;
        }
    }

    [Fact(Skip = "debug aid: writes a verbose trace of one chaos run to /tmp/vip-sim.log")]
    public void Dump_one_run()
    {
        using var w = new StreamWriter("/tmp/vip-sim.log") { AutoFlush = true };
        RunChaos(5, 326, strict: true, w);
    }

    /// <summary>Kill -9 of the owner at a random point of its renew cycle, 100 times: the grants run out Duration
    /// after the last renewal reached them and go to a waiting candidate at once, so the outage (crash to new
    /// owner) is Duration − (time since last renewal) + one round trip. Goals: median ≤ 0.5 s, worst ≤ 1 s.</summary>
    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Kill_of_the_owner_fails_over_within_one_lease_duration(int nodes)
    {
        var outages = new List<double>();
        for (var seed = 1; seed <= 100; seed++)
        {
            var sim = new LeaseSimulation(seed, nodes, Timings);
            sim.RunUntil(Ms(1500));
            var owner = sim.Owner();
            Assert.NotNull(owner);
            var rng = new Random(seed);
            var crashAt = sim.NowUs + Ms(rng.Next(0, 200));
            sim.RunUntil(crashAt);
            sim.Crash(owner!);
            var deadline = crashAt + (long)(D * (1 + sim.MaxRateError)) + Ms(10);
            long? takeover = null;
            for (var us = crashAt; us <= deadline && takeover is null; us += 500)
            {
                sim.RunUntil(us);
                if (sim.Owner() is not null) takeover = us;
            }
            Assert.True(takeover is not null, $"seed {seed}: no takeover within {(deadline - crashAt) / 1000} ms\n{sim.Tail}");
            outages.Add((takeover!.Value - crashAt) / 1000.0);
        }
        outages.Sort();
        Assert.True(outages[outages.Count / 2] <= 500, $"median outage {outages[outages.Count / 2]} ms");
        Assert.True(outages[^1] <= 1000, $"worst outage {outages[^1]} ms");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public void Graceful_stop_hands_over_within_a_few_network_delays(int nodes)
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var sim = new LeaseSimulation(seed, nodes, Timings);
            sim.RunUntil(Ms(1500));
            var owner = sim.Owner()!;
            sim.Stop(owner);
            var stoppedAt = sim.NowUs;
            long? takeover = null;
            for (var us = stoppedAt; us <= stoppedAt + Ms(20) && takeover is null; us += 100)
            {
                sim.RunUntil(us);
                if (sim.Owner() is { } o && o != owner) takeover = us;
            }
            Assert.True(takeover is not null, $"seed {seed}: no takeover within 20 ms of a graceful stop\n{sim.Tail}");
        }
    }

    [Fact]
    public void Isolated_owner_stops_before_the_majority_side_elects()
    {
        var sim = new LeaseSimulation(42, 5, Timings);
        sim.RunUntil(Ms(1500));
        var owner = sim.Owner()!;
        var groups = new int[16];
        groups[owner.Index] = 1;
        sim.Group = groups;
        sim.RunUntil(sim.NowUs + 3 * D);
        var next = sim.Owner();
        Assert.NotNull(next);
        Assert.NotEqual(owner, next);
        Assert.Equal(1, sim.MaxObservedOwners);
    }
}
