using Fabric.Vip.Election;

namespace Fabric.Vip.Tests.Election;

public sealed class LeaseUnitTests
{
    private static readonly LeaseTimings T = LeaseTimings.Default;
    private static readonly string[] Voters = ["a", "b", "c"];
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static LeaseRequest Req(string who, long epoch, long seq = 1, bool owning = false, long nonce = 7, long known = 0) =>
        new("v", who, 0, epoch, seq, known, owning, nonce);

    /// <summary>A grantor whose restart quiet period is over and which has relearned epochs from its peers.</summary>
    private static LeaseGrantor ReadyGrantor(TimeSpan start = default)
    {
        var g = new LeaseGrantor("v", "a", Voters, T, start);
        g.OnEpochReport(new EpochReport("v", "b", 0, true), start);
        g.OnEpochReport(new EpochReport("v", "c", 0, true), start);
        return g;
    }

    [Fact]
    public void Fresh_grantor_grants_nothing_for_one_lease_duration()
    {
        var g = new LeaseGrantor("v", "a", Voters, T, Ms(0));
        g.OnEpochReport(new EpochReport("v", "b", 0, true), Ms(0));
        g.OnEpochReport(new EpochReport("v", "c", 0, true), Ms(0));
        Assert.IsType<LeaseRejected>(Assert.Single(g.OnRequest(Req("b", 1), Ms(10))).Message);
        Assert.IsType<LeaseRejected>(Assert.Single(g.OnRequest(Req("b", 1), T.Duration - Ms(1))).Message);
        // At the end of the quiet period the waiting candidate is granted without asking again.
        var sent = g.OnTick(T.Duration);
        Assert.IsType<LeaseGranted>(Assert.Single(sent).Message);
    }

    [Fact]
    public void Restarted_grantor_relearns_the_highest_epoch_from_a_majority_of_recovered_peers()
    {
        var g = new LeaseGrantor("v", "a", Voters, T, Ms(0));
        var queries = g.OnTick(Ms(0));
        Assert.Equal(2, queries.Count(q => q.Message is EpochQuery));
        g.OnEpochReport(new EpochReport("v", "b", 41, true), Ms(1));
        Assert.False(g.Recovered);
        g.OnEpochReport(new EpochReport("v", "c", 40, true), Ms(2));
        Assert.True(g.Recovered);
        Assert.Equal(41, g.HighestGranted);
        Assert.IsType<LeaseRejected>(Assert.Single(g.OnRequest(Req("b", 41), T.Duration + Ms(1))).Message);
        Assert.IsType<LeaseGranted>(Assert.Single(g.OnRequest(Req("b", 42), T.Duration + Ms(2))).Message);
    }

    [Fact]
    public void A_grant_is_exclusive_until_it_expires_and_renewals_extend_it()
    {
        var g = ReadyGrantor();
        var t0 = T.Duration;
        Assert.IsType<LeaseGranted>(g.OnRequest(Req("b", 1), t0).Single().Message);
        var rejected = (LeaseRejected)g.OnRequest(Req("c", 2, nonce: 9), t0 + Ms(10)).Single().Message;
        Assert.Equal("b", rejected.Holder);
        Assert.Equal(1, rejected.HighestGranted);
        Assert.IsType<LeaseGranted>(g.OnRequest(Req("b", 1, seq: 2, owning: true), t0 + Ms(400)).Single().Message);
        Assert.Equal(t0 + Ms(400) + T.Duration, g.ActiveGrant(t0 + Ms(401))!.Value.ExpiresAt);
        Assert.IsType<LeaseRejected>(g.OnRequest(Req("c", 2, nonce: 9), t0 + Ms(600)).Single().Message);
    }

    [Fact]
    public void Expiry_hands_the_grant_to_the_waiting_candidate_at_once()
    {
        var g = ReadyGrantor();
        var t0 = T.Duration;
        g.OnRequest(Req("b", 1), t0);
        g.OnRequest(Req("c", 2, nonce: 9), t0 + T.Duration - Ms(50));
        Assert.Equal(t0 + T.Duration, g.NextDeadline(t0 + T.Duration - Ms(50)));
        var sent = g.OnTick(t0 + T.Duration);
        var granted = (LeaseGranted)Assert.Single(sent).Message;
        Assert.Equal("c", granted.Candidate);
        Assert.Equal(2, granted.Epoch);
    }

    [Fact]
    public void Release_frees_at_once_only_for_the_same_incarnation()
    {
        var g = ReadyGrantor();
        var t0 = T.Duration;
        g.OnRequest(Req("b", 1, nonce: 7), t0);
        g.OnRequest(Req("c", 2, nonce: 9), t0 + Ms(1));
        Assert.Empty(g.OnRelease(new LeaseRelease("v", "b", 1, Nonce: 8), t0 + Ms(2)));
        Assert.NotNull(g.ActiveGrant(t0 + Ms(2)));
        var sent = g.OnRelease(new LeaseRelease("v", "b", 1, Nonce: 7), t0 + Ms(3));
        Assert.Equal("c", ((LeaseGranted)Assert.Single(sent).Message).Candidate);
    }

    [Fact]
    public void A_new_holder_needs_an_epoch_above_every_granted_one()
    {
        var g = ReadyGrantor();
        var t0 = T.Duration;
        g.OnRequest(Req("b", 5), t0);
        g.OnRelease(new LeaseRelease("v", "b", 5, 7), t0 + Ms(1));
        Assert.IsType<LeaseRejected>(g.OnRequest(Req("c", 5, nonce: 9), t0 + Ms(2)).Single().Message);
        Assert.IsType<LeaseGranted>(g.OnRequest(Req("c", 6, nonce: 9), t0 + Ms(3)).Single().Message);
    }

    [Fact]
    public void Among_waiters_an_owner_then_the_best_ranked_candidate_is_preferred()
    {
        var g = ReadyGrantor();
        var t0 = T.Duration;
        g.OnRequest(Req("a", 1), t0);
        // Waiters count only while they keep asking.
        g.OnRequest(Req("c", 2, nonce: 9), t0 + T.Duration - Ms(20));
        g.OnRequest(Req("b", 2, nonce: 8), t0 + T.Duration - Ms(10));
        Assert.Equal("b", ((LeaseGranted)g.OnTick(t0 + T.Duration).Single().Message).Candidate);
        Assert.True(CandidateRank.IsBetter(1, "z", 0, "a"));
        Assert.True(CandidateRank.IsBetter(0, "a", 0, "b"));
    }

    [Fact]
    public void Owner_counts_from_the_send_instant_and_gives_up_before_any_grantor_could_regrant()
    {
        var c = new LeaseCandidate("v", "a", 0, Voters, T, Ms(0), nonce: 7);
        var round = c.Tick(Ms(0));
        var req = (LeaseRequest)round.Send.First().Message;
        Assert.Equal(3, round.Send.Count);
        Assert.Equal(OwnershipChange.None, c.OnGranted(new LeaseGranted("v", "a", "a", req.Epoch, req.Seq, 7), Ms(5)).Change);
        // Granted late by the second voter: still counted from the send instant, not from receipt.
        Assert.Equal(OwnershipChange.Acquired, c.OnGranted(new LeaseGranted("v", "b", "a", req.Epoch, req.Seq, 7), Ms(300)).Change);
        var until = T.Duration * (1 - T.DriftMargin) - T.ActionGuard;
        Assert.Equal(until, c.OwnerUntil);
        Assert.True(c.HoldsLease(until - Ms(1)));
        Assert.False(c.HoldsLease(until));
        // Grantors received the request no earlier than it was sent, so they hold it until at least Duration.
        Assert.True(until < T.Duration);
    }

    [Fact]
    public void Grants_for_another_incarnation_or_epoch_are_ignored()
    {
        var c = new LeaseCandidate("v", "a", 0, Voters, T, Ms(0), nonce: 7);
        var req = (LeaseRequest)c.Tick(Ms(0)).Send.First().Message;
        c.OnGranted(new LeaseGranted("v", "a", "a", req.Epoch, req.Seq, 8), Ms(1));
        c.OnGranted(new LeaseGranted("v", "b", "a", req.Epoch, req.Seq, 8), Ms(1));
        Assert.False(c.HoldsLease(Ms(2)));
        c.OnGranted(new LeaseGranted("v", "b", "a", req.Epoch + 5, req.Seq, 7), Ms(1));
        c.OnGranted(new LeaseGranted("v", "c", "a", req.Epoch + 5, req.Seq, 7), Ms(1));
        Assert.False(c.HoldsLease(Ms(2)));
    }

    [Fact]
    public void Without_renewal_by_a_majority_the_owner_stops()
    {
        var c = new LeaseCandidate("v", "a", 0, Voters, T, Ms(0), nonce: 7);
        var r1 = (LeaseRequest)c.Tick(Ms(0)).Send.First().Message;
        c.OnGranted(new LeaseGranted("v", "a", "a", r1.Epoch, r1.Seq, 7), Ms(1));
        // Taking ownership renews at once.
        var acquired = c.OnGranted(new LeaseGranted("v", "b", "a", r1.Epoch, r1.Seq, 7), Ms(1));
        var r2 = (LeaseRequest)acquired.Send.First().Message;
        Assert.True(r2.Owning);
        // Only one voter renews: the lease still ends where the first round put it.
        c.OnGranted(new LeaseGranted("v", "a", "a", r2.Epoch, r2.Seq, 7), T.RenewInterval + Ms(1));
        var end = c.OwnerUntil!.Value;
        Assert.Equal(T.OwnerValidity, end);
        Assert.Equal(OwnershipChange.Lost, c.Tick(end).Change);
        Assert.True(c.Epoch > r1.Epoch);
    }

    [Fact]
    public void Graceful_release_stops_believing_and_releases_every_voter()
    {
        var c = new LeaseCandidate("v", "a", 0, Voters, T, Ms(0), nonce: 7);
        var r1 = (LeaseRequest)c.Tick(Ms(0)).Send.First().Message;
        c.OnGranted(new LeaseGranted("v", "a", "a", r1.Epoch, r1.Seq, 7), Ms(1));
        c.OnGranted(new LeaseGranted("v", "b", "a", r1.Epoch, r1.Seq, 7), Ms(1));
        var step = c.Release(Ms(2));
        Assert.Equal(OwnershipChange.Lost, step.Change);
        Assert.False(c.HoldsLease(Ms(2)));
        Assert.Equal(3, step.Send.Count(s => s.Message is LeaseRelease { Nonce: 7 }));
        Assert.Null(c.NextDeadline);
    }

    [Fact]
    public void Timings_are_validated()
    {
        LeaseTimings.Default.Validate();
        Assert.Throws<ArgumentException>(() => (LeaseTimings.Default with { RenewInterval = TimeSpan.FromMilliseconds(300) }).Validate());
        Assert.Throws<ArgumentException>(() => (LeaseTimings.Default with { DriftMargin = 0.6 }).Validate());
    }
}
