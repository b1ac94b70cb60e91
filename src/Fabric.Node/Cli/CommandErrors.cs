namespace Fabric.Node.Cli;

/// <summary>Maps client failures to the CLI's exit codes and one-line messages, the same way for every command.</summary>
internal static class CommandErrors
{
    public static async Task<int> Guard(TextWriter stderr, CancellationToken ct, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception e) when (Handles(e, ct))
        {
            return Report(e, stderr);
        }
    }

    public static int Guard(TextWriter stderr, CancellationToken ct, Func<int> run)
    {
        try
        {
            return run();
        }
        catch (Exception e) when (Handles(e, ct))
        {
            return Report(e, stderr);
        }
    }

    private static bool Handles(Exception e, CancellationToken ct) =>
        e is AgentUnreachableException or ApiErrorException or System.Text.Json.JsonException or ArgumentException
        || (e is OperationCanceledException && ct.IsCancellationRequested);

    private static int Report(Exception e, TextWriter stderr)
    {
        switch (e)
        {
            case AgentUnreachableException:
                stderr.WriteLine($"fabric: {e.Message}");
                return ExitCodes.Unreachable;
            case System.Text.Json.JsonException:
                // Something other than the agent answered on that port, or a version that speaks another shape.
                stderr.WriteLine($"fabric: the answer was not the agent API's JSON: {e.Message}");
                return ExitCodes.Failed;
            case OperationCanceledException:
                // Ctrl+C ends a watch; that is how watches are meant to end.
                return ExitCodes.Ok;
            default:
                // ApiErrorException and ArgumentException: the message says it all.
                stderr.WriteLine($"fabric: {e.Message}");
                return ExitCodes.Failed;
        }
    }
}
