using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>An immutable copy of a controller's inputs at one instant, handed to its reconcile.</summary>
public sealed class InputView(IReadOnlyDictionary<ResourceKind, IReadOnlyList<Resource>> inputs)
{
    public IReadOnlyList<Resource> Resources(ResourceKind kind) =>
        inputs.TryGetValue(kind, out var list) ? list : [];

    public IReadOnlyList<Resource> Resources(ResourceType type) => Resources(type.Kind);

    public IEnumerable<T> Specs<T>(ResourceKind kind) where T : IResourceSpec =>
        Resources(kind).Select(r => r.Spec).OfType<T>();

    public IEnumerable<T> Specs<T>(ResourceType type) where T : IResourceSpec => Specs<T>(type.Kind);

    public T? Single<T>(ResourceType type) where T : class, IResourceSpec => Specs<T>(type).FirstOrDefault();
}
