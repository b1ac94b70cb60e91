using System.Diagnostics;

namespace Fabric.Vip.Election;

/// <summary>A clock that only moves forward and is unaffected by wall-clock steps (NTP, settimeofday).
/// Lease safety rests on measuring intervals, never on comparing instants between nodes.</summary>
public interface IMonotonicClock
{
    TimeSpan Now { get; }
}

/// <summary>The process's monotonic clock (CLOCK_MONOTONIC on Linux through <see cref="Stopwatch"/>).</summary>
public sealed class StopwatchClock : IMonotonicClock
{
    public static readonly StopwatchClock Instance = new();
    private readonly long _origin = Stopwatch.GetTimestamp();
    public TimeSpan Now => Stopwatch.GetElapsedTime(_origin);
}

/// <summary>A clock moved by hand, for deterministic tests. Only the test thread touches it.</summary>
public sealed class ManualClock(TimeSpan start = default) : IMonotonicClock
{
    public TimeSpan Now { get; private set; } = start;

    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(by), "a monotonic clock cannot go back");
        Now += by;
    }
}
