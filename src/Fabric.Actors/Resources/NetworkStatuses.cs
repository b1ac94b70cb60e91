using Fabric.Actors.Store;

namespace Fabric.Actors.Resources;

/// <summary>A link as the kernel has it. Id: the link name.</summary>
public sealed record LinkStatus : IResourceSpec, IFlatSpec
{
    public required int Index { get; init; }
    public required string Name { get; init; }
    /// <summary>"ether", "loopback", "none"... (ARPHRD).</summary>
    public string Type { get; init; } = "";
    public string Kind { get; init; } = "";
    public string HardwareAddr { get; init; } = "";
    public string PermanentAddr { get; init; } = "";
    public int Mtu { get; init; }
    public string OperState { get; init; } = "unknown";
    public bool AdminUp { get; init; }
    public bool LinkState { get; init; }
    public int MasterIndex { get; init; }
    public string Master { get; init; } = "";
    public int ParentIndex { get; init; }
    public int VlanId { get; init; }
}

/// <summary>An address as the kernel has it. Id like the spec's: "&lt;link&gt;/&lt;address&gt;/&lt;prefix&gt;".</summary>
public sealed record AddressStatus : IResourceSpec, IFlatSpec
{
    public required string Address { get; init; }
    public required int LinkIndex { get; init; }
    public required string LinkName { get; init; }
    public string Family { get; init; } = "inet4";
    /// <summary>"global", "site", "link", "host".</summary>
    public string Scope { get; init; } = "global";
    public uint Flags { get; init; }
    /// <summary>IFA_PROTO; 70 marks Fabric's own.</summary>
    public int Protocol { get; init; }
}

/// <summary>A route as the kernel has it. Id like the spec's.</summary>
public sealed record RouteStatus : IResourceSpec, IFlatSpec
{
    public required string Family { get; init; }
    public string Destination { get; init; } = "";
    public string Gateway { get; init; } = "";
    public string Source { get; init; } = "";
    public int OutLinkIndex { get; init; }
    public string OutLinkName { get; init; } = "";
    public uint Table { get; init; } = 254;
    public uint Metric { get; init; }
    public uint Mtu { get; init; }
    public string Scope { get; init; } = "global";
    public string Type { get; init; } = "unicast";
    /// <summary>rtm_protocol; 70 marks Fabric's own.</summary>
    public int Protocol { get; init; }
}

/// <summary>The hostname the kernel has. Id: "hostname".</summary>
public sealed record HostnameStatus : IResourceSpec, IFlatSpec
{
    public required string Hostname { get; init; }
    public string Domainname { get; init; } = "";
}

/// <summary>The resolvers in effect (what /etc/resolv.conf says). Id: "resolvers".</summary>
public sealed record ResolverStatus : IResourceSpec
{
    public IReadOnlyList<string> DnsServers { get; init; } = [];
    public IReadOnlyList<string> SearchDomains { get; init; } = [];
}

/// <summary>Filtered sets of the node's addresses. Ids: default, current, accumulative, routed.</summary>
public sealed record NodeAddress : IResourceSpec
{
    public IReadOnlyList<string> Addresses { get; init; } = [];
}

/// <summary>Whether a merged spec made it into the kernel or a file, and why not. Id: "&lt;SpecType&gt;/&lt;spec id&gt;".</summary>
public sealed record ApplyStatus : IResourceSpec, IFlatSpec
{
    public required string SpecType { get; init; }
    public required string SpecId { get; init; }
    /// <summary>"applied", "pending" (waiting for something, e.g. its link) or "failed".</summary>
    public required string State { get; init; }
    public string Message { get; init; } = "";
}

/// <summary>A file Fabric renders (/etc/hosts, /etc/resolv.conf). Id: the path relative to the etc root.</summary>
public sealed record EtcFileStatus : IResourceSpec, IFlatSpec
{
    public required string Path { get; init; }
    public required string Sha256 { get; init; }
    public string Error { get; init; } = "";
}
