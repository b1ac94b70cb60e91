using System.CommandLine;
using Fabric.Node.Api;

namespace Fabric.Node.Cli;

/// <summary>`fabric apply FILE [-e ENDPOINT]`: sends a machine config. Exit 0 applied, 1 rejected, 2 agent unreachable.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "machine config YAML" };
        var endpoints = EndpointOption.Create();
        var command = new Command("apply", "Apply a machine config to the node") { file, endpoints };
        command.SetAction((parse, ct) => Task.FromResult(Run(parse.GetValue(file)!, parse.GetValue(endpoints),
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, ct)));
        return command;
    }

    /// <summary>The command itself, shared by the command line above and <see cref="ApplyFastPath"/>. Blocking: one
    /// file and one request need no asynchronous machinery, whose start-up a CLI process pays in full.</summary>
    public static int Run(string path, string? endpointFlag, TextWriter stdout, TextWriter stderr, CancellationToken ct) =>
        CommandErrors.Guard(stderr, ct, () =>
        {
            CliTiming.Mark("apply: started");
            var endpoint = EndpointOption.Resolve(endpointFlag, Environment.GetEnvironmentVariable);
            ReadOnlyMemory<byte> config;
            try
            {
                config = ConfigFile.Read(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"fabric: cannot read {path}: {e.Message}");
                return ExitCodes.Failed;
            }

            CliTiming.Mark("apply: config read");
            using var client = new FabricClient(endpoint);
            var result = client.Apply(config, ct);
            CliTiming.Mark("apply: answer parsed");
            // Diagnostics are printed exactly as the agent worded them: they carry the config path already.
            foreach (var diagnostic in result.Diagnostics) stderr.WriteLine(diagnostic);
            if (!result.Applied)
            {
                stderr.WriteLine($"fabric: config rejected by the agent at {endpoint}");
                return ExitCodes.Failed;
            }
            stdout.WriteLine(result.Generation is { } g ? $"config applied (generation {g})" : "config applied");
            CliTiming.Mark("apply: done");
            return ExitCodes.Ok;
        });
}
