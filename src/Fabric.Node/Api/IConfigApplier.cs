namespace Fabric.Node.Api;

/// <summary>Validates and applies a machine config sent to <c>POST /v1/config</c>. The node agent implements it;
/// the API only relays the outcome.</summary>
public interface IConfigApplier
{
    Task<ApplyOutcome> ApplyAsync(string yaml, CancellationToken ct);
}

/// <summary>When <see cref="Applied"/> is true the diagnostics are warnings; when false they say why it was rejected.</summary>
public sealed record ApplyOutcome
{
    public required bool Applied { get; init; }
    public IReadOnlyList<string> Diagnostics { get; init; } = [];
    /// <summary>The generation of the running config after an accepted apply.</summary>
    public long? Generation { get; init; }

    public static ApplyOutcome Accepted(long generation, params IReadOnlyList<string> warnings) =>
        new() { Applied = true, Generation = generation, Diagnostics = warnings };

    public static ApplyOutcome Rejected(params IReadOnlyList<string> diagnostics) =>
        new() { Applied = false, Diagnostics = diagnostics };
}
