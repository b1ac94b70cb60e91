using System.Text.Json;
using Fabric.Actors.Json;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Store;

/// <summary>A spec that knows cheaper or more exact equality than its JSON form.</summary>
public interface IHasSpecEquality
{
    bool SameAs(IResourceSpec other);
}

/// <summary>A spec record whose members are all values (no lists), so record equality is exact and cheap.</summary>
public interface IFlatSpec : IResourceSpec;

/// <summary>Decides whether a write changes anything, so an unchanged spec does not bump the version or wake watchers.
/// Records holding lists do not compare by value, so specs are compared by their JSON form.</summary>
public static class SpecEquality
{
    public static bool Same(IResourceSpec a, IResourceSpec b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.GetType() != b.GetType()) return false;
        if (a is IHasSpecEquality custom) return custom.SameAs(b);
        if (a is IFlatSpec) return a.Equals(b);
        return JsonSerializer.SerializeToUtf8Bytes(a, a.GetType(), FabricJson.Options)
            .AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(b, b.GetType(), FabricJson.Options));
    }
}
