using Akka.Actor;
using Fabric.Vip.Election;
using Xunit.Abstractions;

namespace Fabric.Vip.Tests.Election;

/// <summary>Three ActorSystems in one process, real remoting on 127.0.0.1, default lease timings.</summary>
public sealed class VipElectorClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Crash_of_the_owner_moves_the_vip_within_about_a_lease()
    {
        await using var h = await ClusterHarness.StartAsync();
        var owner = await h.WaitForOwnerAsync();
        await Task.Delay(300);
        var crashAt = StopwatchClock.Instance.Now;
        await h.SystemOf(owner).Terminate();
        var next = await h.WaitForOwnerAsync(n => n != owner, TimeSpan.FromSeconds(5));
        var acquired = h.Recorder.Events.Last(e => e.Node == next && e.Acquire).At;
        output.WriteLine($"takeover {(acquired - crashAt).TotalMilliseconds:F0} ms after crash");
        // Taken over on the lease running out (~0.5 s), not on membership's failure detector and downing (5 s and
        // more); the bound leaves room for a loaded machine. Lab figures are in bench/vip.
        Assert.True(acquired - crashAt < TimeSpan.FromSeconds(3), $"takeover took {(acquired - crashAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Isolated_owner_stops_before_another_node_starts()
    {
        await using var h = await ClusterHarness.StartAsync();
        var owner = await h.WaitForOwnerAsync();
        await Task.Delay(300);
        await h.BlackholeAsync(owner);
        var next = await h.WaitForOwnerAsync(n => n != owner, TimeSpan.FromSeconds(5));
        var stopped = h.Recorder.Events.Last(e => e.Node == owner && !e.Acquire).At;
        var started = h.Recorder.Events.Last(e => e.Node == next && e.Acquire).At;
        output.WriteLine($"isolated owner withdrew {(started - stopped).TotalMilliseconds:F0} ms before the new owner started");
        Assert.True(stopped < started, "the isolated owner was still announcing when the new owner started");
    }

    [Fact]
    public async Task Graceful_release_hands_over_within_tens_of_milliseconds()
    {
        await using var h = await ClusterHarness.StartAsync();
        var owner = await h.WaitForOwnerAsync();
        await Task.Delay(300);
        var releaseAt = StopwatchClock.Instance.Now;
        await h.Roots[owner].Ask<VipRoot.AllReleased>(VipRoot.ReleaseAll.Default, TimeSpan.FromSeconds(5));
        var next = await h.WaitForOwnerAsync(n => n != owner, TimeSpan.FromSeconds(5));
        var acquired = h.Recorder.Events.Last(e => e.Node == next && e.Acquire).At;
        output.WriteLine($"handover {(acquired - releaseAt).TotalMilliseconds:F0} ms");
        // The behaviour under test: the next owner starts on the release, not on the old lease running out.
        // (How fast, measured in the lab, is in bench/vip.)
        Assert.True(acquired - releaseAt < LeaseTimings.Default.Duration,
            $"handover took {(acquired - releaseAt).TotalMilliseconds} ms, as long as waiting for the lease to expire");
    }

    [Fact]
    public async Task Owner_crash_soon_after_another_node_restarted_still_moves_the_vip()
    {
        await using var h = await ClusterHarness.StartAsync();
        var first = await h.WaitForOwnerAsync();
        await h.SystemOf(first).Terminate();
        var second = await h.WaitForOwnerAsync(n => n != first, TimeSpan.FromSeconds(5));
        // The first owner's node comes back while its old incarnation is still a member (unreachable).
        await h.RestartAsync(first);
        await Task.Delay(2000);
        Assert.Equal(second, await h.WaitForOwnerAsync(within: TimeSpan.FromSeconds(1)));
        var crashAt = StopwatchClock.Instance.Now;
        await h.SystemOf(second).Terminate();
        var third = await h.WaitForOwnerAsync(n => n != second, TimeSpan.FromSeconds(5));
        var acquired = h.Recorder.Events.Last(e => e.Node == third && e.Acquire).At;
        output.WriteLine($"{third} took over {(acquired - crashAt).TotalMilliseconds:F0} ms after the crash");
    }
}
