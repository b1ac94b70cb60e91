namespace Fabric.Actors.Resources;

/// <summary>Marker for the spec part of a resource. Specs are immutable records that serialize to JSON.</summary>
public interface IResourceSpec;

/// <summary>Who wrote a resource and which version of it this is. <see cref="Layer"/> is set on specs only.</summary>
public sealed record ResourceMetadata
{
    public required string Namespace { get; init; }
    public required string Type { get; init; }
    public required string Id { get; init; }
    public ulong Version { get; init; }
    public required string Owner { get; init; }
    public string? Layer { get; init; }
    public DateTimeOffset Created { get; init; }
    public DateTimeOffset Updated { get; init; }
}

public sealed record Resource(ResourceMetadata Metadata, IResourceSpec Spec)
{
    public ResourceKey Key => new(Metadata.Namespace, Metadata.Type, Metadata.Id);
}

public readonly record struct ResourceKey(string Namespace, string Type, string Id)
{
    public ResourceKind Kind => new(Namespace, Type);
    public override string ToString() => $"{Namespace}/{Type}/{Id}";
}

/// <summary>A namespace and type: what a controller reads or owns.</summary>
public readonly record struct ResourceKind(string Namespace, string Type)
{
    public override string ToString() => $"{Namespace}/{Type}";
}

public static class Namespaces
{
    /// <summary>Merged specs and statuses: what the node should have and what it has.</summary>
    public const string Network = "network";
    /// <summary>Specs per layer before merging; ids are "&lt;layer&gt;/&lt;id&gt;".</summary>
    public const string NetworkConfig = "network-config";
    /// <summary>The running machine config.</summary>
    public const string Config = "config";
}
