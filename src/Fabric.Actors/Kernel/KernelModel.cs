using System.Net;
using System.Net.Sockets;

namespace Fabric.Actors.Kernel;

/// <summary>The protocol number Fabric stamps on the routes (rtm_protocol) and addresses (IFA_PROTO) it creates,
/// so it can tell its own kernel objects from everyone else's, even after a restart.</summary>
public static class FabricMarks
{
    public const byte Protocol = 70;
}

/// <summary>A link as the kernel reports it (RTM_NEWLINK).</summary>
public sealed record KernelLink
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    /// <summary>IFLA_INFO_KIND: "bridge", "veth", "vlan", "bond", "wireguard", "macvlan"...; empty for a physical device.</summary>
    public string Kind { get; init; } = "";
    /// <summary>ARPHRD_* type (1 = ether, 772 = loopback).</summary>
    public ushort Type { get; init; }
    public uint Flags { get; init; }
    public string HardwareAddr { get; init; } = "";
    public string PermanentAddr { get; init; } = "";
    public string BroadcastAddr { get; init; } = "";
    public int Mtu { get; init; }
    /// <summary>IFLA_OPERSTATE as text: unknown, notpresent, down, lowerlayerdown, testing, dormant, up.</summary>
    public string OperState { get; init; } = "unknown";
    public int MasterIndex { get; init; }
    /// <summary>IFLA_LINK: the parent of a VLAN or the peer of a veth (0 when none).</summary>
    public int ParentIndex { get; init; }
    public int VlanId { get; init; }
    public string Alias { get; init; } = "";
    public bool AdminUp => (Flags & 0x1) != 0;
    public bool LowerUp => (Flags & 0x10000) != 0;
}

/// <summary>An address as the kernel reports it (RTM_NEWADDR).</summary>
public sealed record KernelAddress
{
    public required int LinkIndex { get; init; }
    public required IpPrefix Prefix { get; init; }
    /// <summary>RT_SCOPE_*: 0 universe, 200 site, 253 link, 254 host.</summary>
    public byte Scope { get; init; }
    /// <summary>IFA_FLAGS (permanent = 0x80, nodad = 0x02, ...).</summary>
    public uint Flags { get; init; }
    /// <summary>IFA_PROTO: who added it; <see cref="FabricMarks.Protocol"/> for Fabric's own.</summary>
    public byte Protocol { get; init; }
    public string Label { get; init; } = "";
    public AddressFamily Family => Prefix.Family;
}

/// <summary>A route as the kernel reports it (RTM_NEWROUTE), or as Fabric asks for it.</summary>
public sealed record KernelRoute
{
    public required AddressFamily Family { get; init; }
    /// <summary>Destination network; 0.0.0.0/0 or ::/0 for a default route.</summary>
    public required IpPrefix Destination { get; init; }
    public IPAddress? Gateway { get; init; }
    /// <summary>RTA_PREFSRC.</summary>
    public IPAddress? Source { get; init; }
    /// <summary>RTA_OIF; 0 when the kernel picks the link from the gateway.</summary>
    public int OutLinkIndex { get; init; }
    /// <summary>Routing table; 254 is main.</summary>
    public uint Table { get; init; } = 254;
    /// <summary>RTA_PRIORITY.</summary>
    public uint Metric { get; init; }
    /// <summary>rtm_protocol; <see cref="FabricMarks.Protocol"/> for Fabric's own.</summary>
    public byte Protocol { get; init; }
    /// <summary>RT_SCOPE_*: 0 universe (via a gateway), 253 link (directly attached).</summary>
    public byte Scope { get; init; }
    /// <summary>RTN_*: 1 unicast, 2 local, 3 broadcast, 6 blackhole, 7 unreachable...</summary>
    public byte Type { get; init; } = 1;
    /// <summary>RTAX_MTU from RTA_METRICS; 0 when unset.</summary>
    public uint Mtu { get; init; }
}

/// <summary>What to create or change on a link. Null fields are left as they are.</summary>
public sealed record LinkRequest
{
    public required string Name { get; init; }
    /// <summary>For creation: "bridge", "vlan", "bond", "wireguard", "dummy". Null to change an existing link.</summary>
    public string? Kind { get; init; }
    public int? Mtu { get; init; }
    public bool? Up { get; init; }
    /// <summary>Enslave to this master (by name); "" to release from its master.</summary>
    public string? Master { get; init; }
    public BridgeOptions? Bridge { get; init; }
    public VlanOptions? Vlan { get; init; }
    public BondOptions? Bond { get; init; }
    public WireguardOptions? Wireguard { get; init; }
}

public sealed record BridgeOptions(bool Stp = false, bool VlanFiltering = false);

public sealed record VlanOptions(string Parent, ushort Id, ushort Protocol = 0x8100);

public sealed record BondOptions
{
    /// <summary>Kernel bond mode name: balance-rr, active-backup, balance-xor, broadcast, 802.3ad, balance-tlb, balance-alb.</summary>
    public string Mode { get; init; } = "balance-rr";
    public string? XmitHashPolicy { get; init; }
    public string? LacpRate { get; init; }
    public uint? MiiMon { get; init; }
    public uint? UpDelay { get; init; }
    public uint? DownDelay { get; init; }
    public uint? MinLinks { get; init; }
    public string? Primary { get; init; }
    public IReadOnlyList<IPAddress> ArpIpTargets { get; init; } = [];
    public ushort? AdActorSystemPriority { get; init; }
    public string? AdActorSystem { get; init; }
}

public sealed record WireguardOptions
{
    /// <summary>Base64 private key.</summary>
    public required string PrivateKey { get; init; }
    public ushort? ListenPort { get; init; }
    public uint? FirewallMark { get; init; }
    public IReadOnlyList<WireguardPeer> Peers { get; init; } = [];
}

public sealed record WireguardPeer
{
    public required string PublicKey { get; init; }
    public string? Endpoint { get; init; }
    public TimeSpan? PersistentKeepalive { get; init; }
    public IReadOnlyList<IpPrefix> AllowedIps { get; init; } = [];
}

/// <summary>Something changed in the kernel. Delivered in the order the kernel announced it.</summary>
public abstract record KernelEvent;
public sealed record LinkUpdated(KernelLink Link) : KernelEvent;
public sealed record LinkDeleted(KernelLink Link) : KernelEvent;
public sealed record AddressAdded(KernelAddress Address) : KernelEvent;
public sealed record AddressDeleted(KernelAddress Address) : KernelEvent;
public sealed record RouteAdded(KernelRoute Route) : KernelEvent;
public sealed record RouteDeleted(KernelRoute Route) : KernelEvent;
/// <summary>Events were lost (socket overrun): whoever mirrors the kernel must dump again.</summary>
public sealed record KernelResyncNeeded(string Reason) : KernelEvent;

/// <summary>A kernel request failed. <see cref="Errno"/> is the positive errno (17 = EEXIST, 19 = ENODEV, 22 = EINVAL).</summary>
public sealed class KernelException(int errno, string operation, string message)
    : Exception($"{operation}: {message} ({ErrnoNames.Name(errno)})")
{
    public int Errno { get; } = errno;
    public string Operation { get; } = operation;
}

public static class ErrnoNames
{
    public static string Name(int errno) => errno switch
    {
        1 => "EPERM", 2 => "ENOENT", 3 => "ESRCH", 12 => "ENOMEM", 13 => "EACCES", 16 => "EBUSY",
        17 => "EEXIST", 19 => "ENODEV", 22 => "EINVAL", 34 => "ERANGE", 95 => "EOPNOTSUPP",
        99 => "EADDRNOTAVAIL", 101 => "ENETUNREACH", 105 => "ENOBUFS", 113 => "EHOSTUNREACH",
        _ => $"errno {errno}",
    };
}
