using System.CommandLine;

namespace Fabric.Node.Cli;

/// <summary>`fabric apply FILE [-e ENDPOINT]`: sends a machine config. Exit 0 applied, 1 rejected, 2 agent unreachable.</summary>
public static class ApplyCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "machine config YAML" };
        var endpoints = EndpointOption.Create();
        var command = new Command("apply", "Apply a machine config to the node") { file, endpoints };
        command.SetAction((parse, ct) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, ct, async () =>
            {
                var endpoint = EndpointOption.Resolve(parse, endpoints);
                var path = parse.GetValue(file)!;
                string yaml;
                try
                {
                    yaml = await File.ReadAllTextAsync(path, ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    stderr.WriteLine($"fabric: cannot read {path}: {e.Message}");
                    return ExitCodes.Failed;
                }

                using var client = new FabricClient(endpoint);
                var result = await client.ApplyAsync(yaml, ct);
                // Diagnostics are printed exactly as the agent worded them: they carry the config path already.
                foreach (var diagnostic in result.Diagnostics) stderr.WriteLine(diagnostic);
                if (!result.Applied)
                {
                    stderr.WriteLine($"fabric: config rejected by the agent at {endpoint}");
                    return ExitCodes.Failed;
                }
                stdout.WriteLine(result.Generation is { } g ? $"config applied (generation {g})" : "config applied");
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
