using System.Net;
using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>Which link a service IP is put on and announced from on this node.
/// <list type="number">
/// <item>The L2Advertisements list interfaces: the first of them with a configured address whose prefix contains
/// the IP (it is on that subnet), else the first of them.</item>
/// <item>Otherwise the link with a configured address whose prefix contains the IP, the longest prefix winning.</item>
/// <item>Otherwise none, with an error saying why.</item>
/// </list>
/// "Configured" means machine.network of this node's config (links named there; deviceSelector addresses are not
/// resolved here, as for VIPs).</summary>
public static class AnnounceLinkChoice
{
    public readonly record struct Choice(string? Link, string? Error);

    public static Choice For(IPAddress ip, IReadOnlyList<string> interfaces, NetworkConfig network)
    {
        var onSubnet = network.Addresses
            .Where(a => a.Link is not null && a.Prefix.Contains(ip))
            .OrderByDescending(a => a.Prefix.PrefixLength)
            .Select(a => a.Link!)
            .ToList();
        if (interfaces.Count > 0)
            return new Choice(interfaces.FirstOrDefault(onSubnet.Contains) ?? interfaces[0], null);
        if (onSubnet.Count > 0) return new Choice(onSubnet[0], null);
        return new Choice(null,
            $"no link for {ip}: no L2Advertisement selecting it lists interfaces, and no address in machine.network has a prefix containing it");
    }
}
