using Fabric.Actors.Kernel;
using Fabric.Actors.Store;

namespace Fabric.Actors.Resources;

/// <summary>A spec that lives once per layer in network-config and merged in network.</summary>
public interface ILayeredSpec : IResourceSpec
{
    /// <summary>The id of the merged spec (without the layer prefix).</summary>
    string SpecId { get; }
}

/// <summary>What a link should look like. Id: the link name.</summary>
public sealed record LinkSpec : ILayeredSpec
{
    public required string Name { get; init; }
    /// <summary>True for links Fabric creates (bridge, vlan, bond, wireguard, dummy); false for physical ones.</summary>
    public bool Logical { get; init; }
    /// <summary>"" for physical; bridge, vlan, bond, wireguard, dummy for logical.</summary>
    public string Kind { get; init; } = "";
    public bool? Up { get; init; }
    public int? Mtu { get; init; }
    /// <summary>Bridge or bond this link is a port of.</summary>
    public string? Master { get; init; }
    public LinkBridge? Bridge { get; init; }
    public LinkVlan? Vlan { get; init; }
    /// <summary>The kernel's own option records: a spec says exactly what the kernel will be asked for.</summary>
    public BondOptions? Bond { get; init; }
    public WireguardOptions? Wireguard { get; init; }
    public string SpecId => Name;

    /// <summary>Field by field: this spec's values win, gaps are filled from the lower layer.</summary>
    public LinkSpec Over(LinkSpec lower) => this with
    {
        Logical = Logical || lower.Logical,
        Kind = Kind != "" ? Kind : lower.Kind,
        Up = Up ?? lower.Up,
        Mtu = Mtu ?? lower.Mtu,
        Master = Master ?? lower.Master,
        Bridge = Bridge ?? lower.Bridge,
        Vlan = Vlan ?? lower.Vlan,
        Bond = Bond ?? lower.Bond,
        Wireguard = Wireguard ?? lower.Wireguard,
    };
}

public sealed record LinkBridge(bool Stp, bool VlanFiltering);
public sealed record LinkVlan(string Parent, int VlanId);

/// <summary>An address on a link. Id: "&lt;link&gt;/&lt;address&gt;/&lt;prefix&gt;", as Talos names them.</summary>
public sealed record AddressSpec : ILayeredSpec, IFlatSpec
{
    /// <summary>CIDR, host bits kept: 192.0.2.11/24.</summary>
    public required string Address { get; init; }
    public required string LinkName { get; init; }
    /// <summary>Skip IPv6 duplicate address detection (IFA_F_NODAD). For a shared address such as a VIP: the node
    /// taking it over must answer at once, not after a second of DAD, and a stale holder must not make it fail.</summary>
    public bool NoDad { get; init; }
    public string Family => Address.Contains(':') ? "inet6" : "inet4";
    public string SpecId => IdOf(LinkName, Address);

    public static string IdOf(string link, string cidr) => $"{link}/{cidr}";
}

/// <summary>A route. Id: "&lt;family&gt;/&lt;gateway&gt;/&lt;destination&gt;/&lt;metric&gt;" (Talos' form), plus "/table-N" outside main.</summary>
public sealed record RouteSpec : ILayeredSpec, IFlatSpec
{
    public required string Family { get; init; }
    /// <summary>CIDR; "" for the default route.</summary>
    public string Destination { get; init; } = "";
    public string Gateway { get; init; } = "";
    public string Source { get; init; } = "";
    public string OutLinkName { get; init; } = "";
    public uint Table { get; init; } = 254;
    public uint Metric { get; init; } = 1024;
    public uint Mtu { get; init; }
    /// <summary>"global" (via a gateway) or "link" (directly attached).</summary>
    public string Scope { get; init; } = "global";
    public string SpecId => IdOf(Family, Gateway, Destination, Metric, Table, OutLinkName);

    /// <summary>A route without a gateway is named by its link too, since several links carry the same
    /// directly attached prefix (fe80::/64 on every IPv6 link).</summary>
    public static string IdOf(string family, string gateway, string destination, uint metric, uint table, string link)
    {
        var id = $"{family}/{gateway}/{destination}/{metric}";
        if (gateway == "" && link != "") id += $"/{link}";
        return table == 254 ? id : $"{id}/table-{table}";
    }
}

/// <summary>The node's hostname. Id: "hostname".</summary>
public sealed record HostnameSpec : ILayeredSpec, IFlatSpec
{
    public required string Hostname { get; init; }
    public string Domainname { get; init; } = "";
    public string SpecId => "hostname";
    public string Fqdn => Domainname == "" ? Hostname : $"{Hostname}.{Domainname}";
}

/// <summary>DNS resolvers. Id: "resolvers".</summary>
public sealed record ResolverSpec : ILayeredSpec
{
    public IReadOnlyList<string> DnsServers { get; init; } = [];
    public IReadOnlyList<string> SearchDomains { get; init; } = [];
    public string SpecId => "resolvers";
}

/// <summary>Extra /etc/hosts entries. Id: "static-hosts".</summary>
public sealed record HostsSpec : ILayeredSpec
{
    public IReadOnlyList<HostsEntry> Entries { get; init; } = [];
    public string SpecId => "static-hosts";
}

public sealed record HostsEntry(string Ip, IReadOnlyList<string> Aliases);
