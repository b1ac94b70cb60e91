namespace Fabric.Vip.LoadBalancer.Sources;

/// <summary>Whether two versions of a service mean the same to the allocator. The resource version is left out:
/// a status write bumps it, and telling the allocator about its own write would loop.</summary>
public static class ServiceEquivalence
{
    public static bool Same(LoadBalancerService a, LoadBalancerService b) =>
        a.Namespace == b.Namespace && a.Name == b.Name
        && a.Ports.SequenceEqual(b.Ports)
        && a.ExternalTrafficPolicy == b.ExternalTrafficPolicy
        && a.IpFamilyPolicy == b.IpFamilyPolicy
        && a.IpFamilies.SequenceEqual(b.IpFamilies)
        && a.RequestedIps.SequenceEqual(b.RequestedIps)
        && a.RequestedPool == b.RequestedPool
        && a.SharingKey == b.SharingKey
        && a.LoadBalancerClass == b.LoadBalancerClass
        && a.Labels.Count == b.Labels.Count && a.Labels.All(l => b.Labels.TryGetValue(l.Key, out var v) && v == l.Value)
        && a.ReadyNodes.SequenceEqual(b.ReadyNodes);
}
