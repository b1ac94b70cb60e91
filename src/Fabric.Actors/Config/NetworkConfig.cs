using System.Net;

namespace Fabric.Actors.Config;

/// <summary>The network part of the config, normalised: v1alpha1 machine.network and the multi-document kinds
/// (LinkConfig, VLANConfig, BondConfig, BridgeConfig, HostnameConfig, ResolverConfig, StaticHostConfig,
/// Layer2VIPConfig, HCloudVIPConfig) both land here.</summary>
public sealed record NetworkConfig
{
    public string? Hostname { get; init; }
    public IReadOnlyList<IPAddress> Nameservers { get; init; } = [];
    public IReadOnlyList<string> SearchDomains { get; init; } = [];
    public bool DisableSearchDomain { get; init; }
    public IReadOnlyList<HostEntry> ExtraHostEntries { get; init; } = [];
    public IReadOnlyList<LinkDefinition> Links { get; init; } = [];
    public IReadOnlyList<AddressDefinition> Addresses { get; init; } = [];
    public IReadOnlyList<RouteDefinition> Routes { get; init; } = [];
    public IReadOnlyList<VipDefinition> Vips { get; init; } = [];
}

public sealed record HostEntry(IPAddress Ip, IReadOnlyList<string> Aliases);

public enum LinkKind { Physical, Bridge, Vlan, Bond, Wireguard, Dummy }

/// <summary>One link the config talks about. Either <see cref="Name"/> is set, or <see cref="Selector"/> picks
/// a physical link at run time (its name is then resolved against the kernel's links).</summary>
public sealed record LinkDefinition
{
    /// <summary>The link's name; for a selector-matched device, null until resolved.</summary>
    public string? Name { get; init; }
    public DeviceSelector? Selector { get; init; }
    public LinkKind Kind { get; init; } = LinkKind.Physical;
    public int? Mtu { get; init; }
    public bool Up { get; init; } = true;
    /// <summary>Talos `ignore: true`: Fabric leaves this link alone entirely.</summary>
    public bool Ignore { get; init; }
    public bool Dhcp { get; init; }
    public BridgeDefinition? Bridge { get; init; }
    public VlanDefinition? Vlan { get; init; }
    public BondDefinition? Bond { get; init; }
    public WireguardDefinition? Wireguard { get; init; }
    /// <summary>The bridge or bond this link is a port of (bridgePort.master, or implied by bridge.interfaces).</summary>
    public string? Master { get; init; }
    public SourceLocation? Location { get; init; }
}

/// <summary>Talos deviceSelector: every given field must match.</summary>
public sealed record DeviceSelector
{
    public string? BusPath { get; init; }
    public string? HardwareAddr { get; init; }
    public string? PermanentAddr { get; init; }
    public string? PciId { get; init; }
    public string? Driver { get; init; }
    public bool? Physical { get; init; }
}

public sealed record BridgeDefinition
{
    public IReadOnlyList<string> Interfaces { get; init; } = [];
    public bool Stp { get; init; }
    public bool VlanFiltering { get; init; }
}

public sealed record VlanDefinition(string Parent, ushort VlanId);

public sealed record BondDefinition
{
    public IReadOnlyList<string> Interfaces { get; init; } = [];
    public IReadOnlyList<DeviceSelector> DeviceSelectors { get; init; } = [];
    public string Mode { get; init; } = "balance-rr";
    public string? XmitHashPolicy { get; init; }
    public string? LacpRate { get; init; }
    public uint? MiiMon { get; init; }
    public uint? UpDelay { get; init; }
    public uint? DownDelay { get; init; }
    public uint? MinLinks { get; init; }
    public string? Primary { get; init; }
    public IReadOnlyList<IPAddress> ArpIpTargets { get; init; } = [];
    public string? AdActorSystem { get; init; }
}

public sealed record WireguardDefinition
{
    public required string PrivateKey { get; init; }
    public ushort? ListenPort { get; init; }
    public uint? FirewallMark { get; init; }
    public IReadOnlyList<WireguardPeerDefinition> Peers { get; init; } = [];
}

public sealed record WireguardPeerDefinition
{
    public required string PublicKey { get; init; }
    public string? Endpoint { get; init; }
    public TimeSpan? PersistentKeepaliveInterval { get; init; }
    public IReadOnlyList<IpPrefix> AllowedIps { get; init; } = [];
}

/// <summary>A static address on a link (the link is a name, or a selector's link once resolved).</summary>
public sealed record AddressDefinition
{
    /// <summary>The link's name, or null with <see cref="Selector"/> set.</summary>
    public string? Link { get; init; }
    public DeviceSelector? Selector { get; init; }
    public required IpPrefix Prefix { get; init; }
    /// <summary>Metric of the prefix route the kernel adds for this address (LinkConfig addresses[].routePriority).</summary>
    public uint? RoutePriority { get; init; }
    public SourceLocation? Location { get; init; }
}

/// <summary>A static route. No destination means the default route of the gateway's family.</summary>
public sealed record RouteDefinition
{
    public string? Link { get; init; }
    public DeviceSelector? Selector { get; init; }
    public IpPrefix? Destination { get; init; }
    public IPAddress? Gateway { get; init; }
    public IPAddress? Source { get; init; }
    /// <summary>Talos default is 1024.</summary>
    public uint Metric { get; init; } = 1024;
    public uint? Mtu { get; init; }
    public uint Table { get; init; } = 254;
    public SourceLocation? Location { get; init; }
}

public enum VipAnnouncer { Layer2, HetznerCloud, EquinixMetal }

/// <summary>A shared virtual IP on a link (machine.network.interfaces[].vip, Layer2VIPConfig, HCloudVIPConfig).</summary>
public sealed record VipDefinition
{
    public required IPAddress Ip { get; init; }
    public string? Link { get; init; }
    public DeviceSelector? Selector { get; init; }
    public VipAnnouncer Announcer { get; init; } = VipAnnouncer.Layer2;
    /// <summary>Provider API token; never logged or shown by the API.</summary>
    public string? ApiToken { get; init; }
    public SourceLocation? Location { get; init; }
}
