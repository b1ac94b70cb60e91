using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>One resource a controller wants to exist.</summary>
public sealed record ControllerOutput(ResourceKind Kind, string Id, IResourceSpec Spec, string? Layer = null)
{
    public ResourceKey Key => new(Kind.Namespace, Kind.Type, Id);

    public static ControllerOutput Of(ResourceType type, string id, IResourceSpec spec) => new(type.Kind, id, spec);
}
