using System.Net;
using Akka.Actor;
using Fabric.Vip.Election;
using Xunit.Abstractions;

namespace Fabric.Vip.Tests.Election;

/// <summary>The election as load balancer service IPs use it: electors below a parent of their own, voters that are
/// not candidates, a candidate that is not a voter, candidacy switched live, electors started and stopped one by one.
/// Three ActorSystems in one process over real remoting, default lease timings.</summary>
public sealed class ElectionReuseClusterTests(ITestOutputHelper output)
{
    private const string Parent = "svc";
    private static readonly IPAddress Ip = IPAddress.Parse("192.0.2.200");
    private static readonly string Id = VipElectorSettings.IdOf(Ip);

    /// <summary>One elector per node below /user/svc; voters are the first <paramref name="voters"/> nodes.</summary>
    private static async Task<ClusterHarness> StartAsync(int voters, Func<int, bool> candidate)
    {
        var h = await ClusterHarness.StartAsync(vipRoots: false);
        var voterNames = h.Names.Take(voters).ToList();
        for (var i = 0; i < h.Names.Count; i++)
        {
            var settings = new VipElectorSettings(Ip, "eth0", h.Names[i], voterNames, LeaseTimings.Default)
                { PeerPath = "/user/" + Parent, Candidate = candidate(i), Subject = "service IP" };
            h.Roots[h.Names[i]] = h.Systems[i].ActorOf(VipRoot.Props([(settings, h.Recorder.For(h.Names[i]))], ActorRefs.Nobody, StopwatchClock.Instance), Parent);
        }
        return h;
    }

    [Fact]
    public async Task Only_candidates_own_and_a_candidate_need_not_be_a_voter()
    {
        // Nodes 0 and 1 vote (the seeds) but are not eligible; node 2 is eligible but no seed.
        await using var h = await StartAsync(voters: 2, candidate: i => i == 2);
        Assert.Equal(h.Names[2], await h.WaitForOwnerAsync());
        await Task.Delay(1000);
        Assert.Equal([h.Names[2]], h.Recorder.Holders());

        // Node 0 becomes eligible: the incumbent keeps the IP (no flapping); when node 2 stops being eligible, node 0
        // takes over on its release, not on the lease running out.
        h.Roots[h.Names[0]].Tell(new VipRoot.SetCandidacy(Id, true));
        await Task.Delay(500);
        Assert.Equal([h.Names[2]], h.Recorder.Holders());
        var offAt = StopwatchClock.Instance.Now;
        h.Roots[h.Names[2]].Tell(new VipRoot.SetCandidacy(Id, false));
        Assert.Equal(h.Names[0], await h.WaitForOwnerAsync(n => n == h.Names[0], TimeSpan.FromSeconds(5)));
        var withdrew = h.Recorder.Events.Last(e => e.Node == h.Names[2] && !e.Acquire).At;
        var acquired = h.Recorder.Events.Last(e => e.Node == h.Names[0] && e.Acquire).At;
        output.WriteLine($"handover {(acquired - offAt).TotalMilliseconds:F0} ms after candidacy was turned off");
        Assert.True(withdrew < acquired, "the ineligible owner was still announcing when the next one started");
        Assert.True(acquired - offAt < LeaseTimings.Default.Duration,
            $"handover took {(acquired - offAt).TotalMilliseconds} ms, as long as waiting for the lease to expire");
    }

    [Fact]
    public async Task Crash_of_an_owner_that_is_no_voter_moves_the_IP_to_another_candidate()
    {
        await using var h = await StartAsync(voters: 2, candidate: i => i != 0);
        var owner = await h.WaitForOwnerAsync();
        if (owner != h.Names[2])
        {
            // Make the non-voter the owner: the voter-candidate steps down, and comes back as a candidate.
            h.Roots[owner].Tell(new VipRoot.SetCandidacy(Id, false));
            await h.WaitForOwnerAsync(n => n == h.Names[2], TimeSpan.FromSeconds(5));
            h.Roots[owner].Tell(new VipRoot.SetCandidacy(Id, true));
        }
        await Task.Delay(300);
        await h.SystemOf(h.Names[2]).Terminate();
        Assert.Equal(h.Names[1], await h.WaitForOwnerAsync(n => n == h.Names[1], TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Stopping_the_owners_elector_releases_first_and_the_id_can_be_started_again()
    {
        await using var h = await StartAsync(voters: 3, candidate: _ => true);
        var owner = await h.WaitForOwnerAsync();
        await Task.Delay(300);
        var stopAt = StopwatchClock.Instance.Now;
        var root = h.Roots[owner];
        root.Tell(new VipRoot.StopElector(Id));
        var next = await h.WaitForOwnerAsync(n => n != owner, TimeSpan.FromSeconds(5));
        var acquired = h.Recorder.Events.Last(e => e.Node == next && e.Acquire).At;
        Assert.True(acquired - stopAt < LeaseTimings.Default.Duration,
            $"handover took {(acquired - stopAt).TotalMilliseconds} ms, as long as waiting for the lease to expire");

        // Started again under the same id (right after the stop, while the old one may still be going): it becomes a
        // candidate again and takes over when the new owner steps down.
        var settings = new VipElectorSettings(Ip, "eth1", owner, h.Names, LeaseTimings.Default) { PeerPath = "/user/" + Parent };
        root.Tell(new VipRoot.StartElector(settings, h.Recorder.For(owner)));
        await Task.Delay(500);
        h.Roots[next].Tell(new VipRoot.SetCandidacy(Id, false));
        var third = h.Names.Single(n => n != owner && n != next);
        h.Roots[third].Tell(new VipRoot.SetCandidacy(Id, false));
        Assert.Equal(owner, await h.WaitForOwnerAsync(n => n == owner, TimeSpan.FromSeconds(5)));
    }
}
