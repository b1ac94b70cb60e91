using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>An IPAddressPool as a set of addresses the allocator can search in ascending order.</summary>
public sealed class AddressPool
{
    public IpAddressPool Spec { get; }
    public string Name => Spec.Name;
    private readonly AddressRange[] _ranges;

    public AddressPool(IpAddressPool spec)
    {
        Spec = spec;
        _ranges = spec.Ranges.OrderBy(r => r.First).ToArray();
    }

    public bool Contains(UInt128 address) => _ranges.Any(r => r.Contains(address));

    /// <summary>In the pool and not excluded by avoidBuggyIPs.</summary>
    public bool Offers(UInt128 address) => Contains(address) && !(Spec.AvoidBuggyIps && IpNumber.IsBuggyV4(address));

    public bool Has(IpFamily family) => _ranges.Any(r => r.Family == family);

    /// <summary>Usable addresses of one family from <paramref name="from"/> upwards, lowest first.</summary>
    public IEnumerable<UInt128> Candidates(IpFamily family, UInt128 from)
    {
        foreach (var range in _ranges)
        {
            if (range.Family != family || range.Last < from) continue;
            for (var a = UInt128.Max(range.First, from); ; a++)
            {
                if (!(Spec.AvoidBuggyIps && IpNumber.IsBuggyV4(a))) yield return a;
                if (a == range.Last) break;
            }
        }
    }

    public UInt128 Size
    {
        get
        {
            UInt128 total = 0;
            foreach (var r in _ranges)
            {
                var count = r.Count;
                if (Spec.AvoidBuggyIps && r.Family == IpFamily.IPv4) count -= EndingIn(r, 0) + EndingIn(r, 255);
                total = UInt128.MaxValue - total < count ? UInt128.MaxValue : total + count;
            }
            return total;
        }
    }

    private static UInt128 EndingIn(AddressRange r, byte low)
    {
        static UInt128 UpTo(UInt128 n, byte low) => (n & 0xFF) >= low ? (n >> 8) + 1 : n >> 8;
        return UpTo(r.Last, low) - (r.First == 0 ? 0 : UpTo(r.First - 1, low));
    }

    /// <summary>spec.serviceAllocation namespaces/namespaceSelectors/serviceSelectors; no rule serves everyone.</summary>
    public bool Serves(LoadBalancerService service)
    {
        var rule = Spec.ServiceAllocation;
        if (rule is null) return true;
        var namespaceOk = (rule.Namespaces.Count == 0 && rule.NamespaceSelectors.Count == 0)
                          || rule.Namespaces.Contains(service.Namespace)
                          || rule.NamespaceSelectors.Any(s => s.Matches(service.NamespaceLabels));
        var serviceOk = rule.ServiceSelectors.Count == 0 || rule.ServiceSelectors.Any(s => s.Matches(service.Labels));
        return namespaceOk && serviceOk;
    }

    /// <summary>Order in which auto-assignment tries pools: lower priority value first, pools with a priority
    /// before those without, pools with a serviceAllocation rule before generic ones, then by name.</summary>
    public (int, int, string) Rank => (Spec.ServiceAllocation?.Priority ?? int.MaxValue, Spec.ServiceAllocation is null ? 1 : 0, Name);
}
