using System.CommandLine;
using Fabric.Node.Api;

namespace Fabric.Node.Cli;

/// <summary>-e/--endpoints, then $FABRIC_ENDPOINT, then 127.0.0.1:50000.</summary>
public static class EndpointOption
{
    public const string EnvironmentVariable = "FABRIC_ENDPOINT";

    public static Option<string?> Create() => new("--endpoints", "-e")
    {
        Description = $"the agent's API, host:port (default: ${EnvironmentVariable} or {ApiEndpoint.Default})",
    };

    /// <summary>talosctl takes a list of endpoints; Fabric talks to one agent, so only the first one counts.</summary>
    public static ApiEndpoint Resolve(string? flag, Func<string, string?> environment)
    {
        var text = !string.IsNullOrWhiteSpace(flag) ? flag : environment(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(text)) return ApiEndpoint.Default;
        var first = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        return ApiEndpoint.TryParse(first, out var endpoint)
            ? endpoint
            : throw new ArgumentException($"invalid endpoint \"{text}\": expected host:port");
    }

    public static ApiEndpoint Resolve(ParseResult parse, Option<string?> option) =>
        Resolve(parse.GetValue(option), Environment.GetEnvironmentVariable);
}
