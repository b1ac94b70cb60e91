using System.Net;
using System.Net.Sockets;

namespace Fabric.Actors.Config;

/// <summary>Checks that need the whole network picture: duplicates across interfaces and documents,
/// gateways against the link's prefixes, MTU against IPv6, VIPs against static addresses.</summary>
internal sealed class NetworkValidator(NetworkBuilder network)
{
    private ReadContext Context => network.Context;

    public void Run()
    {
        LinksConfiguredOnce();
        VlanIdsUniquePerParent();
        AddressesUnique();
        Ipv6NeedsMtu1280();
        GatewaysOnLink();
        VipsUnique();
    }

    private void LinksConfiguredOnce()
    {
        var seen = new Dictionary<string, LinkEntry>();
        var selectors = new List<LinkEntry>();
        foreach (var link in network.Links.Where(l => !l.Implied))
        {
            if (link.Definition.Name is { } name)
            {
                if (seen.TryGetValue(name, out var first))
                {
                    // Two vlans[] entries with the same id are reported once, as a duplicate VLAN id.
                    if (link.Definition.Vlan is not null && link.Definition.Vlan == first.Definition.Vlan) continue;
                    Error(link.Origin, $"interface {name} is configured twice; first at {first.Origin.Location} — merge the two entries");
                }
                else
                    seen[name] = link;
            }
            else if (link.Definition.Selector is { } selector)
            {
                var first = selectors.FirstOrDefault(s => s.Definition.Selector == selector);
                if (first is not null)
                    Error(link.Origin, $"this deviceSelector matches the same device as the one at {first.Origin.Location} — merge the two entries");
                else
                    selectors.Add(link);
            }
        }
    }

    private void VlanIdsUniquePerParent()
    {
        var seen = new Dictionary<(string, ushort), LinkEntry>();
        foreach (var link in network.Links)
        {
            if (link.Definition.Vlan is not { } vlan) continue;
            if (seen.TryGetValue((vlan.Parent, vlan.VlanId), out var first))
                Error(link.VlanIdOrigin ?? link.Origin,
                    $"VLAN {vlan.VlanId} is already defined on {vlan.Parent} at {(first.VlanIdOrigin ?? first.Origin).Location}");
            else
                seen[(vlan.Parent, vlan.VlanId)] = link;
        }
    }

    private void AddressesUnique()
    {
        var seen = new Dictionary<IPAddress, AddressEntry>();
        foreach (var address in network.Addresses)
        {
            var ip = address.Definition.Prefix.Address;
            if (!seen.TryGetValue(ip, out var first)) { seen[ip] = address; continue; }
            Error(address.Origin, first.LinkKey == address.LinkKey
                ? $"address {ip} is listed twice on {LinkName(address.LinkKey)} (first at {first.Origin.Location})"
                : $"address {ip} is already assigned to {LinkName(first.LinkKey)} at {first.Origin.Location}; an address can live on one link only");
        }
    }

    private void Ipv6NeedsMtu1280()
    {
        foreach (var link in network.Links)
        {
            if (link.Definition.Mtu is not { } mtu || mtu >= 1280) continue;
            var v6 = network.Addresses.FirstOrDefault(a => a.LinkKey == link.Key && a.Definition.Prefix.IsIPv6);
            if (v6 is not null)
                Error(link.MtuOrigin ?? link.Origin,
                    $"MTU {mtu} is below 1280, the IPv6 minimum, but {link.Display} carries IPv6 address {v6.Definition.Prefix} ({v6.Origin.Location})");
        }
    }

    /// <summary>Only a warning: the gateway may be reachable through a DHCP-assigned or on-link-by-design prefix.</summary>
    private void GatewaysOnLink()
    {
        // Configs with thousands of routes and addresses exist (load balancers): each link's prefixes are gathered
        // once, and each gateway is looked for once per link, since routes mostly share a few gateways.
        var prefixesByLink = network.Addresses.GroupBy(a => a.LinkKey)
            .ToDictionary(g => g.Key, g => g.Select(a => a.Definition.Prefix).ToList());
        var dhcpLinks = network.Links.Where(l => l.Definition.Dhcp).Select(l => l.Key).ToHashSet();
        var onLink = new Dictionary<(string, IPAddress), bool>();
        foreach (var route in network.Routes)
        {
            if (route.Definition.Gateway is not { } gateway || route.GatewayOrigin is null) continue;
            if (gateway.AddressFamily == AddressFamily.InterNetworkV6 && gateway.IsIPv6LinkLocal) continue;
            if (dhcpLinks.Contains(route.LinkKey)) continue;
            var prefixes = prefixesByLink.GetValueOrDefault(route.LinkKey) ?? [];
            if (!onLink.TryGetValue((route.LinkKey, gateway), out var reachable))
                onLink[(route.LinkKey, gateway)] = reachable = prefixes.Any(p => p.Contains(gateway));
            if (reachable) continue;
            var have = prefixes.Count == 0 ? "it has no static addresses" : "its prefixes are " + string.Join(", ", prefixes);
            Context.Warning(route.GatewayOrigin.Location, route.GatewayOrigin.Path,
                $"gateway {gateway} is outside every prefix on {LinkName(route.LinkKey)} ({have}); the route will only work if the gateway is reachable on-link");
        }
    }

    private void VipsUnique()
    {
        var seen = new Dictionary<IPAddress, VipEntry>();
        foreach (var vip in network.Vips)
        {
            var ip = vip.Definition.Ip;
            if (seen.TryGetValue(ip, out var first))
            {
                Error(vip.Origin, $"VIP {ip} is already declared at {first.Origin.Location}; declare each VIP once");
                continue;
            }
            seen[ip] = vip;
            var address = network.Addresses.FirstOrDefault(a => a.Definition.Prefix.Address.Equals(ip));
            if (address is not null)
                Error(vip.Origin, $"VIP {ip} is also a static address on {LinkName(address.LinkKey)} ({address.Origin.Location}); a VIP must be an address no node holds permanently");
        }
    }

    private string LinkName(string key) =>
        network.Links.FirstOrDefault(l => l.Key == key)?.Display ?? key;

    private void Error(Origin origin, string message) => Context.Error(origin.Location, origin.Path, message);
}
