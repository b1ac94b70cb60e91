namespace Fabric.Vip.LoadBalancer.Sources;

/// <summary>The messages that take an allocator from one set of services to another.</summary>
public static class ServiceSetDiff
{
    public static IEnumerable<object> Between(string source, IReadOnlyDictionary<string, LoadBalancerService> before,
        IReadOnlyDictionary<string, LoadBalancerService> after)
    {
        foreach (var (key, old) in before.OrderBy(p => p.Key, StringComparer.Ordinal))
            if (!after.ContainsKey(key))
                yield return new ServiceSourceMessages.Deleted(source, old.Namespace, old.Name);
        foreach (var (key, service) in after.OrderBy(p => p.Key, StringComparer.Ordinal))
            if (!before.TryGetValue(key, out var old) || !ServiceEquivalence.Same(old, service))
                yield return new ServiceSourceMessages.Upserted(source, service);
    }

    public static ServiceSourceMessages.Snapshot Snapshot(string source, IReadOnlyDictionary<string, LoadBalancerService> services) =>
        new(source, services.Values.OrderBy(s => s.Key, StringComparer.Ordinal).ToList());
}
