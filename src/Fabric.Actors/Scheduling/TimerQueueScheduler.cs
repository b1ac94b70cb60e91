using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Dispatch;
using Akka.Event;

namespace Fabric.Actors.Scheduling;

/// <summary>Akka's scheduler on the runtime's own timer queue: every scheduled task is a <see cref="Timer"/>, so the
/// process wakes only when something is due. Akka's default scheduler ticks every 10 ms whether or not anything is
/// scheduled; each tick woke a thread-pool worker, which made an idle agent cost a few percent of a core. Timers
/// here fire with the runtime's millisecond resolution, finer than those ticks.
/// Selected with <c>akka.scheduler.implementation</c>; see <see cref="Hocon"/>.</summary>
public sealed class TimerQueueScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    public const string Hocon = """akka.scheduler.implementation = "Fabric.Actors.Scheduling.TimerQueueScheduler, Fabric.Actors" """;

    private static readonly long Origin = Stopwatch.GetTimestamp();
    private readonly ILoggingAdapter _log;
    // The live tasks, so that stopping the scheduler stops them all (Akka disposes it when the system terminates).
    private readonly ConcurrentDictionary<ScheduledTask, byte> _live = new();
    private volatile bool _stopped;

    public TimerQueueScheduler(Akka.Configuration.Config scheduler, ILoggingAdapter log) : base(scheduler, log) => _log = log;

    protected override DateTimeOffset TimeNow => DateTimeOffset.Now;
    public override TimeSpan MonotonicClock => Stopwatch.GetElapsedTime(Origin);
    public override TimeSpan HighResMonotonicClock => Stopwatch.GetElapsedTime(Origin);

    public int LiveTasks => _live.Count;

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Start(delay, null, () => receiver.Tell(message, sender), cancelable);

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Start(initialDelay, interval, () => receiver.Tell(message, sender), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Start(delay, null, action, cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Start(delay, null, action.Run, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Start(initialDelay, interval, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Start(initialDelay, interval, action.Run, cancelable);

    private void Start(TimeSpan delay, TimeSpan? interval, Action action, ICancelable? cancelable)
    {
        if (_stopped || cancelable?.IsCancellationRequested == true) return;
        var task = new ScheduledTask(this, action, interval, cancelable);
        _live[task] = 0;
        task.Start(delay);
        // Stopped between the check and the registration: Dispose may have missed this one.
        if (_stopped) task.Stop();
    }

    private void Run(Action action)
    {
        try { action(); }
        catch (Exception e) { _log.Error(e, "A scheduled task failed"); }
    }

    public void Dispose()
    {
        _stopped = true;
        foreach (var task in _live.Keys) task.Stop();
    }

    /// <summary>One scheduled action and its timer; gone from the live set once it ran (once) or was cancelled. A
    /// repeating one is re-armed after each run, so two runs never overlap, as on Akka's own scheduler. The runtime's
    /// timer queue counts in a coarse clock (on Linux up to a jiffy, 4 ms here, early against a stopwatch); a task
    /// that fires before its time is armed again for the rest, so nothing runs early.</summary>
    private sealed class ScheduledTask(TimerQueueScheduler scheduler, Action action, TimeSpan? interval, ICancelable? cancelable)
    {
        private Timer? _timer;
        private CancellationTokenRegistration _cancellation;
        private int _stopped;
        private long _dueAt;

        public void Start(TimeSpan delay)
        {
            // Created without a due time first, so the callback can never run before _timer is set.
            _timer = new Timer(static state => ((ScheduledTask)state!).Fire(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            if (cancelable is not null) _cancellation = cancelable.Token.Register(static state => ((ScheduledTask)state!).Stop(), this);
            Arm(delay);
        }

        private void Fire()
        {
            if (Volatile.Read(ref _stopped) != 0) return;
            var early = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _dueAt));
            if (early > TimeSpan.Zero) { Arm(early); return; }
            if (cancelable?.IsCancellationRequested == true) { Stop(); return; }
            if (interval is null) Stop();
            scheduler.Run(action);
            if (interval is { } next) Arm(next);
        }

        private void Arm(TimeSpan due)
        {
            if (Volatile.Read(ref _stopped) != 0) return;
            Volatile.Write(ref _dueAt, Stopwatch.GetTimestamp() + (long)(due.TotalSeconds * Stopwatch.Frequency));
            // Whole milliseconds, rounded up: the timer queue would round a fraction down.
            var wait = TimeSpan.FromMilliseconds(Math.Ceiling(due.TotalMilliseconds));
            try { _timer!.Change(wait, Timeout.InfiniteTimeSpan); }
            catch (ObjectDisposedException) { /* stopped meanwhile */ }
        }

        public void Stop()
        {
            if (Interlocked.Exchange(ref _stopped, 1) != 0) return;
            _timer?.Dispose();
            _cancellation.Dispose();
            scheduler._live.TryRemove(this, out _);
        }
    }
}
