using System.Net;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>The allocator's state and the only code that changes it: <see cref="Apply"/>, used alike for fresh
/// decisions and for replaying the journal, so a recovered allocator is the one that crashed. The decisions
/// themselves are in AllocatorState.Decide.cs.</summary>
public sealed partial class AllocatorState
{
    private List<AddressPool> _pools = [];
    private readonly Dictionary<string, AddressPool> _poolsByName = new();
    private readonly Dictionary<string, IpAllocated> _allocations = new();
    private readonly Dictionary<UInt128, List<string>> _holders = new();
    private readonly Dictionary<string, SortedSet<UInt128>> _bySharingKey = new();
    /// <summary>Per pool and family, an address at or below the lowest free one: makes allocating thousands of
    /// services in a row linear instead of quadratic.</summary>
    private readonly Dictionary<(string, IpFamily), UInt128> _freeHint = new();

    public IReadOnlyList<AddressPool> Pools => _pools;
    public IReadOnlyDictionary<string, IpAllocated> Allocations => _allocations;

    public void Apply(AllocatorEvent e)
    {
        switch (e)
        {
            case IpAllocated a:
                Remove(a.Service);
                _allocations[a.Service] = a;
                foreach (var ip in a.Ips.Select(Number))
                {
                    if (!_holders.TryGetValue(ip, out var list)) _holders[ip] = list = [];
                    list.Add(a.Service);
                    if (a.SharingKey is { } key)
                    {
                        if (!_bySharingKey.TryGetValue(key, out var set)) _bySharingKey[key] = set = [];
                        set.Add(ip);
                    }
                }
                break;
            case IpReleased r:
                Remove(r.Service);
                break;
            case PoolsChanged p:
                _pools = p.Pools.Select(d => new AddressPool(d.ToPool())).ToList();
                _poolsByName.Clear();
                foreach (var pool in _pools) _poolsByName[pool.Name] = pool;
                _freeHint.Clear();
                break;
        }
    }

    public AllocatorSnapshot ToSnapshot() =>
        new(_pools.Select(p => PoolDefinition.Of(p.Spec)).ToList(), _allocations.Values.OrderBy(a => a.Service, StringComparer.Ordinal).ToList());

    public static AllocatorState FromSnapshot(AllocatorSnapshot snapshot)
    {
        var state = new AllocatorState();
        state.Apply(new PoolsChanged(snapshot.Pools));
        foreach (var a in snapshot.Allocations) state.Apply(a);
        return state;
    }

    private void Remove(string service)
    {
        if (!_allocations.Remove(service, out var old)) return;
        foreach (var ip in old.Ips.Select(Number))
        {
            if (_holders.TryGetValue(ip, out var list))
            {
                list.Remove(service);
                if (list.Count == 0)
                {
                    _holders.Remove(ip);
                    LowerHint(ip);
                }
            }
            if (old.SharingKey is { } key && _bySharingKey.TryGetValue(key, out var set)
                && !(_holders.TryGetValue(ip, out var rest) && rest.Any(h => _allocations[h].SharingKey == key)))
            {
                set.Remove(ip);
                if (set.Count == 0) _bySharingKey.Remove(key);
            }
        }
    }

    private void LowerHint(UInt128 ip)
    {
        var pool = PoolContaining(ip);
        if (pool is null) return;
        var slot = (pool.Name, IpNumber.IsV4(ip) ? IpFamily.IPv4 : IpFamily.IPv6);
        if (_freeHint.TryGetValue(slot, out var hint) && ip < hint) _freeHint[slot] = ip;
    }

    public AddressPool? PoolContaining(UInt128 ip) => _pools.FirstOrDefault(p => p.Contains(ip));

    public IReadOnlyList<string> HoldersOf(IPAddress ip) =>
        _holders.TryGetValue(IpNumber.From(ip), out var list) ? list : [];

    /// <summary>Null when the allocation is inside its pool; otherwise what `fabric get services` should say.</summary>
    public string? OutsidePoolWarning(IpAllocated a)
    {
        if (!_poolsByName.TryGetValue(a.Pool, out var pool))
            return $"IPAddressPool {a.Pool} no longer exists; keeping {string.Join(", ", a.Ips)} until the service changes";
        var outside = a.Ips.Where(ip => !pool.Contains(Number(ip))).ToList();
        return outside.Count == 0 ? null
            : $"{string.Join(", ", outside)} no longer in IPAddressPool {a.Pool}; kept until the service changes";
    }

    public IReadOnlyList<IpAllocated> OutsidePool() => _allocations.Values.Where(a => OutsidePoolWarning(a) is not null).ToList();

    public ServiceAllocation Describe(string service) =>
        _allocations.TryGetValue(service, out var a)
            ? new ServiceAllocation { Service = service, Ips = a.Ips.Select(IPAddress.Parse).ToList(), Pool = a.Pool, Warning = OutsidePoolWarning(a) }
            : new ServiceAllocation { Service = service };

    public IReadOnlyList<PoolStatus> PoolStatuses()
    {
        var used = _pools.ToDictionary(p => p.Name, _ => 0L);
        foreach (var ip in _holders.Keys)
            if (PoolContaining(ip) is { } pool) used[pool.Name]++;
        return _pools.Select(p =>
        {
            var size = p.Size;
            var n = (UInt128)(ulong)used[p.Name];
            return new PoolStatus(p.Name, size, used[p.Name], size > n ? size - n : 0, p.Spec.Addresses, p.Spec.AutoAssign);
        }).ToList();
    }

    private static UInt128 Number(string ip) => IpNumber.From(IPAddress.Parse(ip));
}
