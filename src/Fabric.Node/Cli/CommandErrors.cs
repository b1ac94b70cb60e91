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
        catch (AgentUnreachableException e)
        {
            stderr.WriteLine($"fabric: {e.Message}");
            return ExitCodes.Unreachable;
        }
        catch (ApiErrorException e)
        {
            stderr.WriteLine($"fabric: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (System.Text.Json.JsonException e)
        {
            // Something other than the agent answered on that port, or a version that speaks another shape.
            stderr.WriteLine($"fabric: the answer was not the agent API's JSON: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (ArgumentException e)
        {
            stderr.WriteLine($"fabric: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C ends a watch; that is how watches are meant to end.
            return ExitCodes.Ok;
        }
    }
}
