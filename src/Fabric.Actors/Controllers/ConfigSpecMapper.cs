using Fabric.Actors.Kernel;
using System.Net.Sockets;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Turns the normalised network config into specs. Links picked by a deviceSelector are named through
/// <paramref name="resolve"/>; whatever cannot be resolved yet is left out until the link appears.</summary>
public static class ConfigSpecMapper
{
    public static IEnumerable<LinkSpec> Links(NetworkConfig config, Func<DeviceSelector, string?> resolve)
    {
        var specs = new Dictionary<string, LinkSpec>();
        foreach (var def in config.Links)
        {
            if (def.Ignore) continue;
            var name = def.Name ?? (def.Selector is { } s ? resolve(s) : null);
            if (name is null) continue;
            var spec = new LinkSpec
            {
                Name = name,
                Logical = def.Kind != LinkKind.Physical,
                Kind = KindName(def.Kind),
                Up = def.Up,
                Mtu = def.Mtu,
                Master = def.Master,
                Bridge = def.Bridge is { } b ? new LinkBridge(b.Stp, b.VlanFiltering) : null,
                Vlan = def.Vlan is { } v ? new LinkVlan(v.Parent, v.VlanId) : null,
                Bond = def.Bond is { } bond ? Bond(bond) : null,
                Wireguard = def.Wireguard is { } wg ? Wireguard(wg) : null,
            };
            specs[name] = specs.TryGetValue(name, out var earlier) ? spec.Over(earlier) : spec;
            foreach (var member in Members(def, resolve))
                specs[member] = specs.TryGetValue(member, out var port)
                    ? port with { Master = port.Master ?? name }
                    : new LinkSpec { Name = member, Up = true, Master = name };
        }
        return specs.Values;
    }

    private static IEnumerable<string> Members(LinkDefinition def, Func<DeviceSelector, string?> resolve)
    {
        if (def.Bridge is { } bridge) foreach (var port in bridge.Interfaces) yield return port;
        if (def.Bond is { } bond)
        {
            foreach (var member in bond.Interfaces) yield return member;
            foreach (var selector in bond.DeviceSelectors)
                if (resolve(selector) is { } resolved) yield return resolved;
        }
    }

    public static IEnumerable<AddressSpec> Addresses(NetworkConfig config, Func<DeviceSelector, string?> resolve)
    {
        foreach (var def in config.Addresses)
        {
            var link = def.Link ?? (def.Selector is { } s ? resolve(s) : null);
            if (link is not null) yield return new AddressSpec { Address = def.Prefix.ToString(), LinkName = link };
        }
    }

    public static IEnumerable<RouteSpec> Routes(NetworkConfig config, Func<DeviceSelector, string?> resolve)
    {
        foreach (var def in config.Routes)
        {
            var link = def.Link ?? (def.Selector is { } s ? resolve(s) : null) ?? "";
            var family = def.Destination?.Family ?? def.Gateway?.AddressFamily ?? AddressFamily.InterNetwork;
            yield return new RouteSpec
            {
                Family = KernelStatusMapper.Family(family),
                Destination = def.Destination is { PrefixLength: > 0 } d ? d.Network.ToString() : "",
                Gateway = def.Gateway?.ToString() ?? "",
                Source = def.Source?.ToString() ?? "",
                OutLinkName = link,
                Table = def.Table,
                Metric = def.Metric,
                Mtu = def.Mtu ?? 0,
                Scope = def.Gateway is null ? "link" : "global",
            };
        }
    }

    public static HostnameSpec? Hostname(NetworkConfig config)
    {
        if (string.IsNullOrEmpty(config.Hostname)) return null;
        var dot = config.Hostname.IndexOf('.');
        return dot < 0
            ? new HostnameSpec { Hostname = config.Hostname }
            : new HostnameSpec { Hostname = config.Hostname[..dot], Domainname = config.Hostname[(dot + 1)..] };
    }

    /// <summary>As Talos does: without search domains of its own, the hostname's domain is searched, unless disabled.</summary>
    public static ResolverSpec? Resolver(NetworkConfig config)
    {
        var search = config.SearchDomains.ToList();
        if (search.Count == 0 && !config.DisableSearchDomain && Hostname(config) is { Domainname: not "" } h) search.Add(h.Domainname);
        if (config.Nameservers.Count == 0 && search.Count == 0) return null;
        return new ResolverSpec { DnsServers = config.Nameservers.Select(n => n.ToString()).ToArray(), SearchDomains = search };
    }

    public static HostsSpec? Hosts(NetworkConfig config) =>
        config.ExtraHostEntries.Count == 0 ? null
            : new HostsSpec { Entries = config.ExtraHostEntries.Select(e => new HostsEntry(e.Ip.ToString(), e.Aliases)).ToArray() };

    private static string KindName(LinkKind kind) => kind switch
    {
        LinkKind.Physical => "",
        LinkKind.Bridge => "bridge",
        LinkKind.Vlan => "vlan",
        LinkKind.Bond => "bond",
        LinkKind.Wireguard => "wireguard",
        LinkKind.Dummy => "dummy",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static BondOptions Bond(BondDefinition b) => new()
    {
        Mode = b.Mode, XmitHashPolicy = b.XmitHashPolicy, LacpRate = b.LacpRate, MiiMon = b.MiiMon,
        UpDelay = b.UpDelay, DownDelay = b.DownDelay, MinLinks = b.MinLinks, Primary = b.Primary,
        ArpIpTargets = b.ArpIpTargets, AdActorSystem = b.AdActorSystem,
    };

    private static WireguardOptions Wireguard(WireguardDefinition w) => new()
    {
        PrivateKey = w.PrivateKey, ListenPort = w.ListenPort, FirewallMark = w.FirewallMark,
        Peers = w.Peers.Select(p => new WireguardPeer
        {
            PublicKey = p.PublicKey, Endpoint = p.Endpoint, PersistentKeepalive = p.PersistentKeepaliveInterval, AllowedIps = p.AllowedIps,
        }).ToArray(),
    };
}
