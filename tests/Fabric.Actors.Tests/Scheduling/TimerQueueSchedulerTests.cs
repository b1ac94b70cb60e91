using System.Diagnostics;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fabric.Actors.Scheduling;

namespace Fabric.Actors.Tests.Scheduling;

/// <summary>Akka on Fabric's scheduler: tells and actions arrive when due and not before, repeat until cancelled, a
/// cancelled or finished task leaves no timer behind, and Akka's own users of the scheduler (actor timers, receive
/// timeouts) keep working. (An ask's timeout is a CancellationTokenSource's, not the scheduler's.)</summary>
public sealed class TimerQueueSchedulerTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    public TimerQueueSchedulerTests() : base(TimerQueueScheduler.Hocon)
    {
    }

    private IScheduler Scheduler => Sys.Scheduler;
    private int LiveTasks => Assert.IsType<TimerQueueScheduler>(Sys.Scheduler).LiveTasks;

    [Fact]
    public void A_tell_arrives_when_due_and_not_before()
    {
        var clock = Stopwatch.StartNew();
        Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(150), TestActor, "due", ActorRefs.NoSender);
        ExpectMsg("due", Wait);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), Wait);
        AwaitCondition(() => LiveTasks == 0, Wait);
    }

    [Fact]
    public void No_task_runs_before_its_time_by_a_stopwatch()
    {
        // The runtime's timer queue counts in a coarse clock and fired up to a few ms early against a stopwatch.
        var early = new System.Collections.Concurrent.ConcurrentBag<string>();
        var done = new CountdownEvent(40);
        for (var i = 1; i <= 40; i++)
        {
            var delay = TimeSpan.FromMilliseconds(i * 3 + i % 7 * 0.3);
            var start = Stopwatch.GetTimestamp();
            Scheduler.Advanced.ScheduleOnce(delay, () =>
            {
                var took = Stopwatch.GetElapsedTime(start);
                if (took < delay) early.Add($"{delay.TotalMilliseconds} ms ran after {took.TotalMilliseconds:F2} ms");
                done.Signal();
            });
        }
        Assert.True(done.Wait(Wait));
        Assert.Empty(early);
    }

    [Fact]
    public void A_cancelled_tell_never_arrives_and_leaves_no_timer()
    {
        var cancelable = new Cancelable(Scheduler);
        Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(100), TestActor, "cancelled", ActorRefs.NoSender, cancelable);
        Assert.Equal(1, LiveTasks);
        cancelable.Cancel();
        Assert.Equal(0, LiveTasks);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_repeated_tell_repeats_until_cancelled()
    {
        var cancelable = Scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.Zero, TimeSpan.FromMilliseconds(20), TestActor, "tick", ActorRefs.NoSender);
        for (var i = 0; i < 5; i++) ExpectMsg("tick", Wait);
        cancelable.Cancel();
        Assert.Equal(0, LiveTasks);
        // One may have been on its way when it was cancelled.
        ReceiveWhile(TimeSpan.FromMilliseconds(100), m => m);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void An_action_that_throws_is_logged_and_its_repetitions_go_on()
    {
        var runs = 0;
        EventFilter.Exception<InvalidOperationException>().Expect(3, () =>
        {
            var cancelable = new Cancelable(Scheduler);
            Scheduler.Advanced.ScheduleRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(20), () =>
            {
                if (Interlocked.Increment(ref runs) <= 3) throw new InvalidOperationException("boom");
                TestActor.Tell("ran");
            }, cancelable);
            ExpectMsg("ran", Wait);
            cancelable.Cancel();
        });
    }

    [Fact]
    public void Actor_timers_and_receive_timeouts_work()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimedActor(TestActor)));
        ExpectMsg("periodic", Wait);
        ExpectMsg("periodic", Wait);
        ExpectMsg("idle", Wait);

        Sys.Stop(actor);
    }

    [Fact]
    public async Task Terminating_the_system_stops_every_timer()
    {
        using var system = ActorSystem.Create("terminating", TimerQueueScheduler.Hocon);
        IScheduler scheduler = system.Scheduler;
        var timers = Assert.IsType<TimerQueueScheduler>(scheduler);
        var probe = CreateTestProbe();
        scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), probe, "late", ActorRefs.NoSender);
        scheduler.ScheduleTellRepeatedly(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), probe, "later", ActorRefs.NoSender);
        await system.Terminate();
        Assert.Equal(0, timers.LiveTasks);
        scheduler.ScheduleTellOnce(TimeSpan.Zero, probe, "after", ActorRefs.NoSender);
        Assert.Equal(0, timers.LiveTasks);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(1500));
    }

    private sealed class TimedActor : ReceiveActor, IWithTimers
    {
        private int _periodic;

        public ITimerScheduler Timers { get; set; } = null!;

        public TimedActor(IActorRef report)
        {
            Receive<string>(m => m == "periodic", m =>
            {
                report.Tell(m);
                if (++_periodic < 2) return;
                Timers.Cancel("periodic");
                Context.SetReceiveTimeout(TimeSpan.FromMilliseconds(100));
            });
            Receive<ReceiveTimeout>(_ =>
            {
                Context.SetReceiveTimeout(null);
                report.Tell("idle");
            });
        }

        protected override void PreStart() => Timers.StartPeriodicTimer("periodic", "periodic", TimeSpan.FromMilliseconds(30));
    }
}
