namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>What decides whether two services may share an address, kept with each allocation so the rules still
/// apply after a restart, before the sources have re-sent their services.</summary>
public sealed record SharingTraits(string? SharingKey, IReadOnlyList<ServicePort> Ports, string TrafficPolicy, string BackendKey)
{
    public static SharingTraits Of(LoadBalancerService service) => new(
        string.IsNullOrEmpty(service.SharingKey) ? null : service.SharingKey,
        service.Ports,
        service.ExternalTrafficPolicy,
        service.ExternalTrafficPolicy == "Local"
            ? string.Join(",", service.Selector.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))
            : "");

    public bool SameAs(SharingTraits other) =>
        SharingKey == other.SharingKey && TrafficPolicy == other.TrafficPolicy && BackendKey == other.BackendKey
        && Ports.SequenceEqual(other.Ports);
}

/// <summary>MetalLB's sharing rules: both services carry the same allow-shared-ip key, no protocol/port pair is
/// used by both, the same externalTrafficPolicy, and with policy Local the same pod selector (MetalLB's
/// "backend key"), because a Local address must be announced from the nodes running both services' pods.</summary>
public static class SharingRules
{
    /// <returns>Null when they may share; otherwise why not.</returns>
    public static string? Conflict(string holder, SharingTraits existing, SharingTraits candidate)
    {
        if (existing.SharingKey is null) return $"in use by {holder}, which does not allow sharing";
        if (candidate.SharingKey is null) return $"in use by {holder}; set metallb.io/allow-shared-ip to share it";
        if (existing.SharingKey != candidate.SharingKey)
            return $"in use by {holder} with sharing key \"{existing.SharingKey}\", not \"{candidate.SharingKey}\"";
        if (existing.TrafficPolicy != candidate.TrafficPolicy)
            return $"in use by {holder} with externalTrafficPolicy {existing.TrafficPolicy}, not {candidate.TrafficPolicy}";
        if (existing.BackendKey != candidate.BackendKey)
            return $"in use by {holder} with externalTrafficPolicy Local and a different selector ({existing.BackendKey})";
        var clash = candidate.Ports.FirstOrDefault(p => existing.Ports.Any(q => q.Port == p.Port && string.Equals(q.Protocol, p.Protocol, StringComparison.OrdinalIgnoreCase)));
        return clash is null ? null : $"in use by {holder}, which also uses {clash.Protocol}/{clash.Port}";
    }
}
