using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Node.Api;

/// <summary>A resource as the API writes it. Spec is typed <see cref="object"/> so the serializer writes the runtime
/// spec type's fields rather than the empty marker interface.</summary>
public sealed record ResourceDocument(ResourceMetadata Metadata, object Spec)
{
    public static ResourceDocument Of(Resource resource) => new(resource.Metadata, resource.Spec);
}

/// <summary>One NDJSON line of a watch. "bootstrapped" (no resource) separates the snapshot from live changes;
/// "error" (with <see cref="Error"/>) is the last line of a watch the server had to end.</summary>
public sealed record WatchLine(string Event, ResourceDocument? Resource = null, string? Error = null)
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Destroyed = "destroyed";
    public const string Bootstrapped = "bootstrapped";
    public const string Failed = "error";

    public static WatchLine Of(ResourceEvent e) => new(e.Type switch
    {
        EventType.Created => Created,
        EventType.Updated => Updated,
        _ => Destroyed,
    }, ResourceDocument.Of(e.Resource));
}

public sealed record ErrorDocument(string Error);

public sealed record HealthDocument(string Node, string Status);

public sealed record ApplyDocument(bool Applied, long? Generation, IReadOnlyList<string> Diagnostics);
