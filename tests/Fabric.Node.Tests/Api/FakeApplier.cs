using Fabric.Node.Api;

namespace Fabric.Node.Tests.Api;

/// <summary>Accepts YAML unless it contains "reject"; records what it was given.</summary>
internal sealed class FakeApplier : IConfigApplier
{
    private long generation;
    public string? LastYaml { get; private set; }

    public Task<ApplyOutcome> ApplyAsync(string yaml, CancellationToken ct)
    {
        LastYaml = yaml;
        if (yaml.Contains("reject"))
            return Task.FromResult(ApplyOutcome.Rejected("network.interfaces[0].addresses[0]: \"300.1.1.1/24\" is not a CIDR", "network.hostname: required"));
        if (yaml.Contains("explode")) throw new InvalidOperationException("applier exploded");
        var warnings = yaml.Contains("warn") ? new[] { "network.interfaces[1]: eth9 does not exist yet" } : [];
        return Task.FromResult(ApplyOutcome.Accepted(Interlocked.Increment(ref generation), warnings));
    }
}
