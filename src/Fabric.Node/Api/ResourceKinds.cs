using System.Diagnostics.CodeAnalysis;
using Fabric.Actors.Resources;
using Microsoft.AspNetCore.Http;

namespace Fabric.Node.Api;

/// <summary>Turns the type (any CLI alias) and optional namespace of a request into the store kind to ask for.</summary>
internal static class ResourceKinds
{
    public static bool TryResolve(string alias, string? ns, [NotNullWhen(true)] out ResourceType? type, out ResourceKind kind,
        [NotNullWhen(false)] out IResult? error)
    {
        type = ResourceTypes.ByAlias(alias);
        kind = default;
        if (type is null)
        {
            error = ApiResults.NotFound($"unknown resource type \"{alias}\"; known: {string.Join(", ", KnownNames())}");
            return false;
        }
        // Layered specs live once per layer in network-config under the same type name; ?namespace= reaches them.
        kind = string.IsNullOrEmpty(ns) ? type.Kind : new ResourceKind(ns, type.Name);
        error = null;
        return true;
    }

    // What people ask for most (links, addresses, routes...) first, the per-layer specs after.
    private static IEnumerable<string> KnownNames() =>
        ResourceTypes.All.OrderBy(t => typeof(ILayeredSpec).IsAssignableFrom(t.SpecType)).Select(t => t.Aliases.Count > 0 ? t.Aliases[0] : t.Name.ToLowerInvariant());
}
