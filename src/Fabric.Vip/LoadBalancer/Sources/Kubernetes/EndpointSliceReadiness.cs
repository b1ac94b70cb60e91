using k8s.Models;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>Which nodes run a ready endpoint of a service, from its EndpointSlices.</summary>
public static class EndpointSliceReadiness
{
    /// <summary>The label EndpointSlice controllers put on a slice to say which service it belongs to.</summary>
    public const string ServiceNameLabel = "kubernetes.io/service-name";

    /// <summary>"namespace/service" a slice belongs to, or null for a slice no service owns.</summary>
    public static string? ServiceKeyOf(V1EndpointSlice slice) =>
        slice.Metadata?.Labels is { } labels && labels.TryGetValue(ServiceNameLabel, out var name) && !string.IsNullOrEmpty(name)
            ? $"{slice.Metadata.NamespaceProperty ?? "default"}/{name}"
            : null;

    public static IReadOnlyList<string> ReadyNodes(IEnumerable<V1EndpointSlice> slices) =>
        slices.SelectMany(s => s.Endpoints ?? [])
            // The API says an unset ready condition is to be read as ready.
            .Where(e => e.Conditions?.Ready ?? true)
            .Select(e => e.NodeName)
            .Where(n => !string.IsNullOrEmpty(n))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList()!;
}
