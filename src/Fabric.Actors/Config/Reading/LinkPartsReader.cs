using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Fabric.Actors.Config;

/// <summary>Addresses, routes, MTU and VIPs of one link: the same meaning in v1alpha1 interfaces[], vlans[] and the
/// link documents, only spelled differently.</summary>
internal static class LinkPartsReader
{
    public static readonly string[] LegacyRouteKeys = ["network", "gateway", "source", "metric", "mtu"];
    public static readonly string[] DocumentRouteKeys = ["destination", "gateway", "source", "metric", "mtu", "table"];
    public static readonly string[] DocumentAddressKeys = ["address", "routePriority"];
    public static readonly string[] LegacyVipKeys = ["ip", "equinixMetal", "hcloud"];

    public static int? Mtu(YMap map) => (int?)map.UInt("mtu", 68, 65535, "MTU");

    /// <summary>v1alpha1: `addresses: [CIDR, ...]` and the deprecated single `cidr`.</summary>
    public static void LegacyAddresses(YMap device, LinkEntry link, NetworkBuilder network)
    {
        foreach (var item in device.List("addresses", "CIDR addresses"))
            AddAddress(item, null, link, network);
        if (device["cidr"] is { } cidr)
            AddAddress(cidr, null, link, network);
    }

    /// <summary>Documents: `addresses: [{address: CIDR, routePriority: N}]`.</summary>
    public static void DocumentAddresses(YMap document, LinkEntry link, NetworkBuilder network)
    {
        foreach (var item in document.List("addresses", "{address: CIDR} entries"))
        {
            if (item.AsMap(DocumentAddressKeys) is not { } map) continue;
            var priority = (uint?)map.UInt("routePriority", 0, uint.MaxValue, "routePriority");
            if (map["address"] is { } address)
                AddAddress(address, priority, link, network);
            else
                map.Error("address is required, e.g. address: 192.0.2.10/24");
        }
    }

    private static void AddAddress(YNode node, uint? priority, LinkEntry link, NetworkBuilder network)
    {
        if (node.AsPrefix("a CIDR address like 192.0.2.10/24") is not { } prefix) return;
        var definition = new AddressDefinition
        {
            Link = link.Definition.Name,
            Selector = link.Definition.Selector,
            Prefix = prefix,
            RoutePriority = priority,
            Location = node.Location,
        };
        network.Addresses.Add(new AddressEntry(definition, link.Key, node.Origin));
    }

    public static void LegacyRoutes(YMap device, LinkEntry link, NetworkBuilder network)
    {
        foreach (var item in device.List("routes", "routes"))
            if (item.AsMap(LegacyRouteKeys) is { } map)
                AddRoute(map, "network", link, network);
    }

    public static void DocumentRoutes(YMap document, LinkEntry link, NetworkBuilder network)
    {
        foreach (var item in document.List("routes", "routes"))
            if (item.AsMap(DocumentRouteKeys) is { } map)
                AddRoute(map, "destination", link, network);
    }

    private static void AddRoute(YMap map, string destinationKey, LinkEntry link, NetworkBuilder network)
    {
        var destinationNode = map[destinationKey];
        var gatewayNode = map["gateway"];
        var sourceNode = map["source"];
        var destination = destinationNode?.AsPrefix();
        var gateway = gatewayNode?.AsIp("a gateway IP address");
        var source = sourceNode?.AsIp("a source IP address");
        var metric = (uint?)map.UInt("metric", 0, uint.MaxValue, "metric") ?? 1024;
        var mtu = (uint?)map.UInt("mtu", 68, 65535, "MTU");
        var table = map["table"] is { } tableNode ? Table(tableNode) : 254;

        if ((destinationNode is not null && destination is null) || (gatewayNode is not null && gateway is null)
            || (sourceNode is not null && source is null))
            return;
        if (destination is null && gateway is null)
        {
            map.Error($"a route needs a {destinationKey}, a gateway, or both");
            return;
        }
        if (destination is { } d && gateway is { } g && d.Family != g.AddressFamily)
        {
            gatewayNode!.Value.Error($"gateway {g} is {Family(g.AddressFamily)} but {destinationKey} {d} is {Family(d.Family)}");
            return;
        }
        var family = destination?.Family ?? gateway!.AddressFamily;
        if (source is { } s && s.AddressFamily != family)
        {
            sourceNode!.Value.Error($"source {s} is {Family(s.AddressFamily)} but the route is {Family(family)}");
            return;
        }
        // 0.0.0.0/0 and ::/0 via a gateway mean exactly what an omitted destination means: one shape downstream.
        if (destination is { PrefixLength: 0 } && gateway is not null)
            destination = null;

        var definition = new RouteDefinition
        {
            Link = link.Definition.Name,
            Selector = link.Definition.Selector,
            Destination = destination,
            Gateway = gateway,
            Source = source,
            Metric = metric,
            Mtu = mtu,
            Table = table ?? 254,
            Location = map.Location,
        };
        network.Routes.Add(new RouteEntry(definition, link.Key, map.Self.Origin, gatewayNode?.Origin));
    }

    private static uint? Table(YNode node)
    {
        var text = node.AsString();
        switch (text)
        {
            case null: return null;
            case "main": return 254;
            case "local": return 255;
            case "default": return 253;
        }
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) return id;
        node.Error($"table must be main, local, default or a number 1..4294967295, got \"{text}\"");
        return null;
    }

    /// <summary>v1alpha1 `vip: {ip, hcloud: {apiToken}, equinixMetal: {apiToken}}`.</summary>
    public static void LegacyVip(YMap device, LinkEntry link, NetworkBuilder network)
    {
        if (device.Map("vip", LegacyVipKeys) is not { } vip) return;
        var ipNode = vip["ip"];
        if (ipNode is null) { vip.Error("vip needs an ip, e.g. ip: 192.0.2.10"); return; }
        var ip = ipNode.Value.AsIp("a VIP address");
        var hcloud = vip.Map("hcloud", ["apiToken"]);
        var equinix = vip.Map("equinixMetal", ["apiToken"]);
        if (hcloud is not null && equinix is not null)
        {
            equinix.Error("a VIP is announced by one provider; set hcloud or equinixMetal, not both");
            return;
        }
        var provider = hcloud ?? equinix;
        string? token = null;
        if (provider is not null)
        {
            token = provider.String("apiToken");
            if (string.IsNullOrEmpty(token)) provider.Error("apiToken is required");
        }
        if (ip is null) return;
        var definition = new VipDefinition
        {
            Ip = ip,
            Link = link.Definition.Name,
            Selector = link.Definition.Selector,
            Announcer = hcloud is not null ? VipAnnouncer.HetznerCloud : equinix is not null ? VipAnnouncer.EquinixMetal : VipAnnouncer.Layer2,
            ApiToken = token,
            Location = ipNode.Value.Location,
        };
        network.Vips.Add(new VipEntry(definition, link.Key, ipNode.Value.Origin));
    }

    public static string Family(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
