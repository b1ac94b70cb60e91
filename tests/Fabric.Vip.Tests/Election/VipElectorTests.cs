using System.Collections.Concurrent;
using System.Net;
using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using Fabric.Vip.Election;
using Fabric.Vip.Fence;

namespace Fabric.Vip.Tests.Election;

/// <summary>One elector, one voter (itself), local actor system: the actor's plumbing without a network.</summary>
public sealed class VipElectorTests() : TestKit(ConfigurationFactory.ParseString(LeaseDispatcher.Hocon))
{
    private sealed class Actions(bool failAcquire = false) : IVipOwnerActions
    {
        public readonly ConcurrentQueue<string> Calls = new();
        public Task AcquireAsync(VipAnnouncement vip)
        {
            Calls.Enqueue($"acquire {vip.Ip} {vip.Link} {vip.Epoch}");
            return failAcquire ? Task.FromException(new AnnounceException("link eth9 not found")) : Task.CompletedTask;
        }
        public Task RefreshAsync(VipAnnouncement vip) { Calls.Enqueue("refresh"); return Task.CompletedTask; }
        public Task ReleaseAsync(VipAnnouncement vip) { Calls.Enqueue($"release {vip.Epoch}"); return Task.CompletedTask; }
    }

    /// <summary>Records into the owner actions' log, so the order of fence and actions shows; an opening completes
    /// only after a delay, as a netlink round trip does.</summary>
    private sealed class Fence(ConcurrentQueue<string> calls) : ILeaseFence
    {
        public readonly ConcurrentQueue<TimeSpan> Validities = new();
        public async Task OpenAsync(IPAddress ip, TimeSpan validFor)
        {
            Validities.Enqueue(validFor);
            await Task.Delay(50);
            calls.Enqueue("fence open");
        }
        public void Close(IPAddress ip) => calls.Enqueue("fence close");
    }

    [Fact]
    public async Task The_fence_opens_before_the_acquire_is_renewed_within_the_owners_validity_and_closes_before_the_release()
    {
        var actions = new Actions();
        var fence = new Fence(actions.Calls);
        var listener = CreateTestProbe();
        var elector = Sys.ActorOf(VipElector.Props(Settings() with { Fence = fence }, actions, listener, StopwatchClock.Instance));
        await listener.FishForMessageAsync<VipStatus>(s => s.Owner == "me", TimeSpan.FromSeconds(3));
        await AwaitConditionAsync(() => Task.FromResult(fence.Validities.Count >= 5), TimeSpan.FromSeconds(5));
        Assert.Equal("fence open", actions.Calls.First());
        Assert.StartsWith("acquire", actions.Calls.SkipWhile(c => c == "fence open").First());
        Assert.All(fence.Validities, v => Assert.InRange(v, TimeSpan.FromMilliseconds(1), LeaseTimings.Default.OwnerValidity));

        await elector.Ask<VipElector.Released>(VipElector.Release.Instance, TimeSpan.FromSeconds(3));
        var tail = actions.Calls.Where(c => c != "fence open").ToList();
        Assert.Equal(["fence close", "release 1"], tail.TakeLast(2).Select(c => c.StartsWith("release") ? "release 1" : c));
    }

    private static VipElectorSettings Settings(TimeSpan? refresh = null) =>
        new(IPAddress.Parse("2001:db8::10"), "eth0", "me", ["me"], LeaseTimings.Default, AnnounceRefresh: refresh);

    [Fact]
    public async Task Acquires_refreshes_publishes_and_releases_on_request()
    {
        var actions = new Actions();
        var listener = CreateTestProbe();
        var elector = Sys.ActorOf(VipElector.Props(Settings(TimeSpan.FromMilliseconds(100)), actions, listener, StopwatchClock.Instance));
        var owned = await listener.FishForMessageAsync<VipStatus>(s => s.Owner == "me", TimeSpan.FromSeconds(3));
        Assert.Equal("2001-db8--10", owned.VipId);
        Assert.Equal("layer2", owned.Announcer);
        Assert.NotNull(owned.Since);
        await AwaitConditionAsync(() => Task.FromResult(actions.Calls.Contains("refresh")), TimeSpan.FromSeconds(3));
        Assert.StartsWith("acquire 2001:db8::10 eth0 ", actions.Calls.First());

        var released = await elector.Ask<VipElector.Released>(VipElector.Release.Instance, TimeSpan.FromSeconds(3));
        Assert.Equal("2001-db8--10", released.VipId);
        Assert.StartsWith("release", actions.Calls.Last());
        await listener.FishForMessageAsync<VipStatus>(s => s.Owner is null, TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_failing_acquire_is_reported_in_the_status()
    {
        var listener = CreateTestProbe();
        Sys.ActorOf(VipElector.Props(Settings(), new Actions(failAcquire: true), listener, StopwatchClock.Instance));
        var status = await listener.FishForMessageAsync<VipStatus>(s => s.LastError is not null, TimeSpan.FromSeconds(3));
        Assert.Contains("eth9", status.LastError);
    }

    [Fact]
    public async Task A_voter_that_is_no_candidate_owns_nothing_until_made_one_and_each_candidacy_has_a_higher_epoch()
    {
        var actions = new Actions();
        var listener = CreateTestProbe();
        var elector = Sys.ActorOf(VipElector.Props(Settings() with { Candidate = false }, actions, listener, StopwatchClock.Instance));
        // Past the grantor's quiet period (one lease duration): still nothing, it never asked.
        await Task.Delay(LeaseTimings.Default.Duration * 2);
        Assert.Empty(actions.Calls);

        elector.Tell(new VipElector.SetCandidacy(true));
        var first = await listener.FishForMessageAsync<VipStatus>(s => s.Owner == "me", TimeSpan.FromSeconds(3));
        elector.Tell(new VipElector.SetCandidacy(false));
        await listener.FishForMessageAsync<VipStatus>(s => s.Owner is null, TimeSpan.FromSeconds(3));
        await AwaitConditionAsync(() => Task.FromResult(actions.Calls.LastOrDefault()?.StartsWith("release") == true), TimeSpan.FromSeconds(3));

        elector.Tell(new VipElector.SetCandidacy(true));
        var second = await listener.FishForMessageAsync<VipStatus>(s => s.Owner == "me", TimeSpan.FromSeconds(3));
        Assert.True(second.Epoch > first.Epoch, $"epoch {second.Epoch} after {first.Epoch}: the fencing token must grow");

        // After a graceful stop, candidacy stays off: the node is going away.
        await elector.Ask<VipElector.Released>(VipElector.Release.Instance, TimeSpan.FromSeconds(3));
        elector.Tell(new VipElector.SetCandidacy(true));
        await Task.Delay(LeaseTimings.Default.Duration);
        Assert.StartsWith("release", actions.Calls.Last());
        Assert.Equal(2, actions.Calls.Count(c => c.StartsWith("acquire")));
    }

    [Fact]
    public async Task Root_releases_every_vip_and_answers_once()
    {
        var a = new Actions();
        var b = new Actions();
        var root = Sys.ActorOf(VipRoot.Props(
            [(Settings(), a), (Settings() with { Ip = IPAddress.Parse("192.0.2.10") }, b)], ActorRefs.Nobody, StopwatchClock.Instance), VipRoot.Name);
        await AwaitConditionAsync(() => Task.FromResult(!a.Calls.IsEmpty && !b.Calls.IsEmpty), TimeSpan.FromSeconds(3));
        var all = await root.Ask<VipRoot.AllReleased>(VipRoot.ReleaseAll.Default, TimeSpan.FromSeconds(3));
        Assert.Equal(["192.0.2.10", "2001-db8--10"], all.VipIds.Order().ToArray());
        Assert.StartsWith("release", a.Calls.Last());
        Assert.StartsWith("release", b.Calls.Last());
    }
}
