using System.Diagnostics;

namespace Fabric.Node.Cli;

/// <summary>FABRIC_TRACE_TIMING=1 makes `fabric apply` print, on stderr at the end, when each of its phases ended,
/// in milliseconds since Main began: how its start-up cost was found and can be checked without a profiler.
/// Marks are kept in memory until then, so the tracing itself does not slow the phases it times.</summary>
internal static class CliTiming
{
    private static readonly long Start = Stopwatch.GetTimestamp();
    private static readonly List<(string Phase, long At)>? Marks =
        Environment.GetEnvironmentVariable("FABRIC_TRACE_TIMING") == "1" ? [] : null;

    public static void Mark(string phase) => Marks?.Add((phase, Stopwatch.GetTimestamp()));

    public static void Report(TextWriter output)
    {
        if (Marks is null) return;
        foreach (var (phase, at) in Marks)
            output.WriteLine($"fabric: timing: {Stopwatch.GetElapsedTime(Start, at).TotalMilliseconds,7:F2} ms {phase}");
    }
}
