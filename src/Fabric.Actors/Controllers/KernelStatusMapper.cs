using System.Net.Sockets;
using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Turns kernel objects into status resources with Talos-style ids.</summary>
public static class KernelStatusMapper
{
    public const uint LocalTable = 255;

    public static string Family(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? "inet6" : "inet4";

    public static string ScopeName(byte scope) => scope switch
    {
        0 => "global", 200 => "site", 253 => "link", 254 => "host", 255 => "nowhere", _ => scope.ToString(),
    };

    public static string LinkTypeName(ushort type) => type switch
    {
        1 => "ether", 772 => "loopback", 65534 => "none", 776 => "sit", 768 => "ipip", 778 => "gre", 823 => "ip6gre",
        _ => type.ToString(),
    };

    public static string RouteTypeName(byte type) => type switch
    {
        1 => "unicast", 2 => "local", 3 => "broadcast", 4 => "anycast", 5 => "multicast", 6 => "blackhole",
        7 => "unreachable", 8 => "prohibit", 9 => "throw", _ => type.ToString(),
    };

    public static LinkStatus Link(KernelLink link, Func<int, string> nameOf) => new()
    {
        Index = link.Index,
        Name = link.Name,
        Type = LinkTypeName(link.Type),
        Kind = link.Kind,
        HardwareAddr = link.HardwareAddr,
        PermanentAddr = link.PermanentAddr,
        Mtu = link.Mtu,
        OperState = link.OperState,
        AdminUp = link.AdminUp,
        LinkState = link.LowerUp,
        MasterIndex = link.MasterIndex,
        Master = link.MasterIndex == 0 ? "" : nameOf(link.MasterIndex),
        ParentIndex = link.ParentIndex,
        VlanId = link.VlanId,
    };

    public static (string Id, AddressStatus Status) Address(KernelAddress address, string linkName)
    {
        var cidr = address.Prefix.ToString();
        return (AddressSpec.IdOf(linkName, cidr), new AddressStatus
        {
            Address = cidr,
            LinkIndex = address.LinkIndex,
            LinkName = linkName,
            Family = Family(address.Family),
            Scope = ScopeName(address.Scope),
            Flags = address.Flags,
            Protocol = address.Protocol,
        });
    }

    /// <summary>Null for routes nobody configures: the local table the kernel keeps per address.</summary>
    public static (string Id, RouteStatus Status)? Route(KernelRoute route, string linkName)
    {
        if (route.Table == LocalTable) return null;
        var family = Family(route.Family);
        var destination = route.Destination.PrefixLength == 0 ? "" : route.Destination.ToString();
        var gateway = route.Gateway?.ToString() ?? "";
        var status = new RouteStatus
        {
            Family = family,
            Destination = destination,
            Gateway = gateway,
            Source = route.Source?.ToString() ?? "",
            OutLinkIndex = route.OutLinkIndex,
            OutLinkName = linkName,
            Table = route.Table,
            Metric = route.Metric,
            Mtu = route.Mtu,
            Scope = ScopeName(route.Scope),
            Type = RouteTypeName(route.Type),
            Protocol = route.Protocol,
        };
        return (RouteSpec.IdOf(family, gateway, destination, route.Metric, route.Table, linkName), status);
    }
}
