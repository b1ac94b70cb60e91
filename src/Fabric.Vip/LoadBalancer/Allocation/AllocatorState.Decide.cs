using System.Net;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>The allocation decisions. Each returns the events it applied; the caller journals them before telling
/// anyone, and on a journal failure throws the state away and recovers from the journal.</summary>
public sealed partial class AllocatorState
{
    public sealed record Outcome(IReadOnlyList<AllocatorEvent> Events, ServiceAllocation Allocation);

    public IReadOnlyList<AllocatorEvent> SetPools(IReadOnlyList<IpAddressPool> pools)
    {
        var definitions = pools.Select(PoolDefinition.Of).ToList();
        var current = _pools.Select(p => PoolDefinition.Of(p.Spec)).ToList();
        // Compared as JSON: the definitions hold lists, which records compare by reference.
        if (System.Text.Json.JsonSerializer.Serialize(definitions) == System.Text.Json.JsonSerializer.Serialize(current)) return [];
        var e = new PoolsChanged(definitions);
        Apply(e);
        return [e];
    }

    public IReadOnlyList<AllocatorEvent> Release(string service)
    {
        if (!_allocations.ContainsKey(service)) return [];
        var e = new IpReleased(service);
        Apply(e);
        return [e];
    }

    /// <summary>Gives the service addresses, keeping the ones it has while they remain valid for it.</summary>
    public Outcome Allocate(LoadBalancerService service, string source)
    {
        var traits = SharingTraits.Of(service);
        var families = WantedFamilies(service);
        var events = new List<AllocatorEvent>();
        if (_allocations.TryGetValue(service.Key, out var existing))
        {
            if (StillValid(existing, service, traits, families))
            {
                if (!existing.Traits.SameAs(traits) || existing.Source != source)
                    events.Add(Record(service.Key, source, existing.Ips.Select(IPAddress.Parse).ToList(), existing.Pool, traits));
                return new Outcome(events, Describe(service.Key));
            }
            events.AddRange(Release(service.Key));
        }
        var (ips, pool, error) = service.RequestedIps.Count > 0
            ? Requested(service, traits, families)
            : service.RequestedPool is { } name ? FromNamedPool(service, name, traits, families) : Automatic(service, traits, families);
        if (error is not null)
            return new Outcome(events, new ServiceAllocation { Service = service.Key, Error = error });
        events.Add(Record(service.Key, source, ips!, pool!, traits));
        return new Outcome(events, Describe(service.Key));
    }

    private IpAllocated Record(string service, string source, IReadOnlyList<IPAddress> ips, string pool, SharingTraits t)
    {
        var e = new IpAllocated(service, source, ips.Select(i => i.ToString()).ToList(), pool, t.SharingKey, t.Ports, t.TrafficPolicy, t.BackendKey);
        Apply(e);
        return e;
    }

    private static IReadOnlyList<IpFamily> WantedFamilies(LoadBalancerService s)
    {
        var listed = s.IpFamilies.Select(f => f == "IPv6" ? IpFamily.IPv6 : IpFamily.IPv4).Distinct().ToList();
        if (listed.Count == 0) listed.Add(IpFamily.IPv4);
        if (s.IpFamilyPolicy == "SingleStack") return [listed[0]];
        if (listed.Count == 1) listed.Add(listed[0] == IpFamily.IPv4 ? IpFamily.IPv6 : IpFamily.IPv4);
        return listed;
    }

    private bool RequiresAll(LoadBalancerService s) => s.IpFamilyPolicy != "PreferDualStack";

    private bool StillValid(IpAllocated existing, LoadBalancerService service, SharingTraits traits, IReadOnlyList<IpFamily> families)
    {
        var ips = existing.Ips.Select(IPAddress.Parse).ToList();
        if (service.RequestedIps.Count > 0 && !service.RequestedIps.Select(i => i.ToString()).ToHashSet().SetEquals(existing.Ips)) return false;
        if (service.RequestedPool is { } wanted && wanted != existing.Pool) return false;
        var have = ips.Select(IpNumber.FamilyOf).ToHashSet();
        if (!have.IsSubsetOf(families)) return false;
        if (RequiresAll(service) && !have.SetEquals(families)) return false;
        // A shrunk pool keeps its tenants (reported, not moved); a pool that still exists must still serve them.
        if (_poolsByName.TryGetValue(existing.Pool, out var pool) && OutsidePoolWarning(existing) is null && !pool.Serves(service)) return false;
        foreach (var ip in ips.Select(IpNumber.From))
        foreach (var holder in _holders[ip].Where(h => h != service.Key))
            if (SharingRules.Conflict(holder, _allocations[holder].Traits, traits) is not null) return false;
        return true;
    }

    private (IReadOnlyList<IPAddress>?, string?, string?) Requested(LoadBalancerService s, SharingTraits traits, IReadOnlyList<IpFamily> families)
    {
        var requested = s.RequestedIps;
        var byFamily = requested.GroupBy(IpNumber.FamilyOf).ToList();
        if (byFamily.Any(g => g.Count() > 1)) return Fail($"requested addresses {Join(requested)} name two addresses of one family");
        if (byFamily.Any(g => !families.Contains(g.Key)))
            return Fail($"requested addresses {Join(requested)} do not match ipFamilyPolicy {s.IpFamilyPolicy} with families {string.Join(",", s.IpFamilies)}");
        if (RequiresAll(s) && byFamily.Count != families.Count)
            return Fail($"ipFamilyPolicy {s.IpFamilyPolicy} needs one requested address per family, got {Join(requested)}");
        AddressPool? chosen = null;
        foreach (var ip in requested)
        {
            var n = IpNumber.From(ip);
            var pool = PoolContaining(n);
            if (pool is null) return Fail($"requested address {ip} is not in any IPAddressPool");
            if (s.RequestedPool is { } name && name != pool.Name) return Fail($"requested address {ip} is in IPAddressPool {pool.Name}, not in the requested pool {name}");
            if (chosen is not null && chosen != pool) return Fail($"requested addresses {Join(requested)} are in different pools ({chosen.Name}, {pool.Name})");
            if (!pool.Serves(s)) return Fail($"IPAddressPool {pool.Name} does not serve {s.Key} (serviceAllocation)");
            if (!pool.Offers(n)) return Fail($"requested address {ip} is excluded by avoidBuggyIPs in IPAddressPool {pool.Name}");
            if (ConflictAt(n, s.Key, traits) is { } why) return Fail($"requested address {ip} is {why}");
            chosen = pool;
        }
        return (requested.ToList(), chosen!.Name, null);
    }

    private (IReadOnlyList<IPAddress>?, string?, string?) FromNamedPool(LoadBalancerService s, string name, SharingTraits traits, IReadOnlyList<IpFamily> families)
    {
        if (!_poolsByName.TryGetValue(name, out var pool)) return Fail($"unknown IPAddressPool {name}");
        if (!pool.Serves(s)) return Fail($"IPAddressPool {name} does not serve {s.Key} (serviceAllocation)");
        var (ips, error) = FromPool(pool, s, traits, families);
        return error is null ? (ips, pool.Name, null) : Fail(error);
    }

    private (IReadOnlyList<IPAddress>?, string?, string?) Automatic(LoadBalancerService s, SharingTraits traits, IReadOnlyList<IpFamily> families)
    {
        var candidates = _pools.Where(p => p.Spec.AutoAssign && p.Serves(s)).OrderBy(p => p.Rank).ToList();
        if (candidates.Count == 0) return Fail(_pools.Count == 0 ? "no IPAddressPool is configured" : $"no IPAddressPool with autoAssign serves {s.Key}");
        var reasons = new List<string>();
        foreach (var pool in candidates)
        {
            var (ips, error) = FromPool(pool, s, traits, families);
            if (error is null) return (ips, pool.Name, null);
            reasons.Add(error);
        }
        return Fail(string.Join("; ", reasons));
    }

    /// <summary>One address per wanted family from one pool, each the lowest usable: free, or already shared by
    /// compatible services.</summary>
    private (IReadOnlyList<IPAddress>?, string?) FromPool(AddressPool pool, LoadBalancerService s, SharingTraits traits, IReadOnlyList<IpFamily> families)
    {
        var result = new List<IPAddress>();
        foreach (var family in families)
        {
            if (!pool.Has(family))
            {
                if (RequiresAll(s)) return (null, $"IPAddressPool {pool.Name} has no {family} addresses");
                continue;
            }
            var pick = LowestUsable(pool, family, s.Key, traits);
            if (pick is null)
            {
                if (RequiresAll(s)) return (null, $"IPAddressPool {pool.Name} has no free {family} address (exhausted)");
                continue;
            }
            result.Add(IpNumber.ToAddress(pick.Value));
        }
        return result.Count == 0 ? (null, $"IPAddressPool {pool.Name} has no free address (exhausted)") : (result, null);
    }

    private UInt128? LowestUsable(AddressPool pool, IpFamily family, string service, SharingTraits traits)
    {
        UInt128? free = null;
        var slot = (pool.Name, family);
        var from = _freeHint.TryGetValue(slot, out var hint) ? hint : 0;
        foreach (var a in pool.Candidates(family, from))
            if (!_holders.ContainsKey(a)) { free = a; break; }
        _freeHint[slot] = free ?? UInt128.MaxValue;
        UInt128? shared = null;
        if (traits.SharingKey is { } key && _bySharingKey.TryGetValue(key, out var sharedIps))
            foreach (var a in sharedIps)
            {
                if (free is { } f && a > f) break;
                if (pool.Offers(a) && IpNumber.IsV4(a) == (family == IpFamily.IPv4) && ConflictAt(a, service, traits) is null) { shared = a; break; }
            }
        return shared ?? free;
    }

    private string? ConflictAt(UInt128 ip, string service, SharingTraits traits)
    {
        if (!_holders.TryGetValue(ip, out var holders)) return null;
        foreach (var holder in holders.Where(h => h != service))
            if (SharingRules.Conflict(holder, _allocations[holder].Traits, traits) is { } why) return why;
        return null;
    }

    private static (IReadOnlyList<IPAddress>?, string?, string?) Fail(string error) => (null, null, error);
    private static string Join(IEnumerable<IPAddress> ips) => string.Join(", ", ips);
}
