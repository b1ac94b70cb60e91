using System.Net;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Config;
using Fabric.Vip.LoadBalancer.Node;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>Which service IPs this node elects on Layer 2, and as what: pure, from the MetalLB documents, this
/// node's network config, the allocations (ServiceState) and, where a source knows them, the services' traffic
/// policies and ready endpoints.
/// <para>An IP is elected when an L2Advertisement selects its pool; every node then runs its elector (the voters
/// grant whether or not they may announce). This node is a candidate when an advertisement selecting the pool
/// matches its labels, a link can be chosen, and, for externalTrafficPolicy Local, it has a ready endpoint of one of
/// the IP's services. Services whose source gives no endpoint information (plain v1 Service documents have no
/// endpoints) count as ready on every node.</para></summary>
public static class ServiceL2Planner
{
    public const string LocalPolicy = "Local";

    /// <param name="traffic">By service key (namespace/name), services from sources that track ready endpoints.</param>
    public static IReadOnlyDictionary<IPAddress, ServiceIpPlan> Plan(LoadBalancerConfig lb, NetworkConfig network,
        IEnumerable<ServiceState> services, IReadOnlyDictionary<string, LoadBalancerService> traffic, L2NodeIdentity node)
    {
        var byIp = new Dictionary<IPAddress, List<ServiceState>>();
        foreach (var s in services)
            foreach (var text in s.Ips)
                if (IPAddress.TryParse(text, out var ip))
                {
                    if (!byIp.TryGetValue(ip, out var list)) byIp[ip] = list = [];
                    list.Add(s);
                }

        var plans = new Dictionary<IPAddress, ServiceIpPlan>();
        foreach (var (ip, users) in byIp)
        {
            var pool = PoolOf(lb, ip, users);
            if (pool is null) continue;
            var ads = lb.L2Advertisements.Where(a => L2AdvertisementMatch.SelectsPool(a, pool)).ToList();
            if (ads.Count == 0) continue;
            var names = users.Select(u => u.Service).Order(StringComparer.Ordinal).ToList();
            var here = ads.Where(a => L2AdvertisementMatch.MatchesNode(a, node)).ToList();
            if (here.Count == 0)
            {
                plans[ip] = new ServiceIpPlan(ip, names, null, false,
                    $"no L2Advertisement for pool {pool.Name} ({string.Join(", ", ads.Select(a => a.Name))}) selects node {node.Name}", null);
                continue;
            }
            var link = AnnounceLinkChoice.For(ip, here.SelectMany(a => a.Interfaces).Distinct().ToList(), network);
            var ready = users.Any(u => ReadyHere(u.Service, traffic, node));
            var reason = ready ? "" : $"externalTrafficPolicy {LocalPolicy} and no ready endpoint on node {node.Name}";
            plans[ip] = new ServiceIpPlan(ip, names, link.Link, ready && link.Link is not null, reason, link.Error);
        }
        return plans;
    }

    /// <summary>The pool the allocator names, or (when that pool has left the config) the one containing the IP.</summary>
    private static IpAddressPool? PoolOf(LoadBalancerConfig lb, IPAddress ip, List<ServiceState> users)
    {
        foreach (var u in users)
            if (lb.Pools.FirstOrDefault(p => p.Name == u.Pool) is { } named) return named;
        var value = Allocation.IpNumber.From(ip);
        return lb.Pools.FirstOrDefault(p => p.Ranges.Any(r => r.Contains(value)));
    }

    private static bool ReadyHere(string service, IReadOnlyDictionary<string, LoadBalancerService> traffic, L2NodeIdentity node) =>
        !traffic.TryGetValue(service, out var s) || s.ExternalTrafficPolicy != LocalPolicy || s.ReadyNodes.Contains(node.Name);
}
