namespace Fabric.Node.Cli;

/// <summary>`fabric apply FILE [-e|--endpoints ENDPOINT]` without the command-line framework or the resource
/// registrations the other commands need: an apply is timed from process start (bench/kernel), and building the
/// full command tree cost a third of the process. Only the plain spellings are taken here; anything else (help,
/// other option forms, response files, mistakes) goes to the full command line, which words its own errors.</summary>
public static class ApplyFastPath
{
    public sealed record Request(string File, string? Endpoint);

    public static Request? Parse(IReadOnlyList<string> args)
    {
        if (args.Count is < 2 or > 4 || args[0] != "apply") return null;
        string? file = null;
        string? endpoint = null;
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-e" or "--endpoints")
            {
                if (endpoint is not null || i + 1 >= args.Count || !Plain(args[i + 1])) return null;
                endpoint = args[++i];
            }
            else if (file is null && Plain(arg))
                file = arg;
            else
                return null;
        }
        return file is null ? null : new Request(file, endpoint);
    }

    public static int Run(Request request)
    {
        var exit = ApplyCommand.Run(request.File, request.Endpoint, StandardStream.Output, StandardStream.Error, CancellationToken.None);
        CliTiming.Report(StandardStream.Error);
        return exit;
    }

    /// <summary>A value the full parser would take as it is: not an option, not a response file (@FILE), not empty.</summary>
    private static bool Plain(string arg) => arg.Length > 0 && arg[0] is not ('-' or '@');
}
