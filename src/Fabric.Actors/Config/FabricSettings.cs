using System.Net;

namespace Fabric.Actors.Config;

/// <summary>Fabric's own settings: the top-level `fabric:` key of the config file.</summary>
public sealed record FabricSettings
{
    /// <summary>fabric.api.listen, host:port. Default 127.0.0.1:50000.</summary>
    public string ApiListen { get; init; } = "127.0.0.1:50000";
    /// <summary>fabric.stateDir: where the agent keeps what must survive a restart.</summary>
    public string StateDir { get; init; } = "/var/lib/fabric";
    /// <summary>fabric.etcRoot: etc/hosts and etc/resolv.conf are written below it. Default "/".</summary>
    public string EtcRoot { get; init; } = "/";
    /// <summary>fabric.nodeName: this node's name in the cluster and the API; defaults to the hostname.</summary>
    public string? NodeName { get; init; }
    /// <summary>fabric.nodeLabels: this node's labels, as Kubernetes node labels, for the nodeSelectors of MetalLB
    /// BGPPeers and advertisements. kubernetes.io/hostname is added from the node name unless given here.</summary>
    public IReadOnlyDictionary<string, string> NodeLabels { get; init; } = new Dictionary<string, string>();
    public ClusterSettings? Cluster { get; init; }
    public BgpSettings? Bgp { get; init; }
    public PersistenceSettings? Persistence { get; init; }
    public LoadBalancerSettings? LoadBalancer { get; init; }
}

/// <summary>fabric.cluster: {name, listen: "host:port", seeds: ["host:port", ...]} plus election timings.</summary>
public sealed record ClusterSettings
{
    public required string Name { get; init; }
    public required string Listen { get; init; }
    public IReadOnlyList<string> Seeds { get; init; } = [];
    /// <summary>fabric.cluster.lease.duration: how long a granted lease is valid.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>fabric.cluster.lease.renewInterval.</summary>
    public TimeSpan LeaseRenewInterval { get; init; } = TimeSpan.FromMilliseconds(100);
    /// <summary>fabric.cluster.lease.driftMargin: clock-rate drift the owner allows for, as a fraction (0.05 = 5 %).</summary>
    public double LeaseDriftMargin { get; init; } = 0.05;
    /// <summary>fabric.cluster.announce.refresh: gratuitous ARP / NA refresh while owning.</summary>
    public TimeSpan AnnounceRefresh { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Where `cluster:` was written, for diagnostics that concern the cluster as a whole.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>True when a seed other than this node is named: other nodes share this node's cluster-wide actors.</summary>
    public bool HasOtherNodes => Seeds.Any(s => s != Listen);
}

/// <summary>fabric.persistence: where cluster-wide state is journaled. SQLite file by default.</summary>
public sealed record PersistenceSettings
{
    /// <summary>"sqlite" or "postgresql".</summary>
    public string Provider { get; init; } = "sqlite";
    public string? ConnectionString { get; init; }
    /// <summary>Where `persistence:` was written.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>fabric.loadBalancer: the load balancer's own settings (pools and services are MetalLB / v1 documents).</summary>
public sealed record LoadBalancerSettings
{
    public LoadBalancerKubernetesSettings? Kubernetes { get; init; }
}

/// <summary>fabric.loadBalancer.kubernetes: the Kubernetes API the service source watches, by a kubeconfig file or,
/// in a pod, the service account (inCluster: true). Every node watches; only the node running the allocator writes
/// service status and Events.</summary>
public sealed record LoadBalancerKubernetesSettings
{
    /// <summary>Absolute path of a kubeconfig file; null with <see cref="InCluster"/>.</summary>
    public string? Kubeconfig { get; init; }
    /// <summary>The kubeconfig context to use; its current-context when null.</summary>
    public string? Context { get; init; }
    public bool InCluster { get; init; }
    /// <summary>spec.loadBalancerClass Fabric serves (MetalLB's --lb-class); null serves services without a class.</summary>
    public string? LoadBalancerClass { get; init; }
    /// <summary>Whether MetalLB's custom resources (IPAddressPool, L2Advertisement, BGPAdvertisement, BGPPeer,
    /// Community) are read from the API as well as from the config file; false where they are not wanted.</summary>
    public bool MetallbObjects { get; init; } = true;
    /// <summary>The one namespace MetalLB objects are read from, as MetalLB reads only its own namespace; copies
    /// elsewhere are ignored rather than clashing by name.</summary>
    public string MetallbNamespace { get; init; } = "metallb-system";
    public SourceLocation? Location { get; init; }
}

/// <summary>fabric.bgp.</summary>
public sealed record BgpSettings
{
    public required uint Asn { get; init; }
    public required IPAddress RouterId { get; init; }
    public IReadOnlyList<BgpPeerSettings> Peers { get; init; } = [];
    public IReadOnlyList<BgpAdvertisementSettings> Advertisements { get; init; } = [];
    /// <summary>TCP port the speaker accepts peers' connections on; 0: accept none (active peers only).</summary>
    public int ListenPort { get; init; } = 179;
}

public sealed record BgpPeerSettings
{
    public required IPAddress Address { get; init; }
    public required uint Asn { get; init; }
    public ushort Port { get; init; } = 179;
    public TimeSpan HoldTime { get; init; } = TimeSpan.FromSeconds(90);
    public TimeSpan KeepaliveTime { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ConnectRetryTime { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>TCP MD5 password; never logged or shown by the API. Empty for none.</summary>
    public string Password { get; init; } = "";
    /// <summary>false: TTL 1 for eBGP; true: TTL 255 (multihop).</summary>
    public bool EbgpMultiHop { get; init; }
    /// <summary>GTSM (RFC 5082): send TTL 255 and require received TTL 255.</summary>
    public bool Gtsm { get; init; }
    public IPAddress? SourceAddress { get; init; }
    public bool GracefulRestart { get; init; }
    /// <summary>Never connect; wait for the peer to connect to us.</summary>
    public bool Passive { get; init; }
    /// <summary>Only announce 2-byte capability (for testing AS_TRANS); normal peers leave it false.</summary>
    public bool DisableFourByteAsn { get; init; }
    /// <summary>Next hop sent with IPv4 prefixes; default: the session's local address when it is IPv4.</summary>
    public IPAddress? NextHopIPv4 { get; init; }
    /// <summary>Next hop sent with IPv6 prefixes; default: the session's local address when it is IPv6
    /// (an IPv4 session needs this set to carry IPv6 prefixes).</summary>
    public IPAddress? NextHopIPv6 { get; init; }
}

public sealed record BgpAdvertisementSettings
{
    public IReadOnlyList<IpPrefix> Prefixes { get; init; } = [];
    /// <summary>"asn:value" standard communities (or well-known names like no-export).</summary>
    public IReadOnlyList<string> Communities { get; init; } = [];
    /// <summary>"global:local1:local2" large communities.</summary>
    public IReadOnlyList<string> LargeCommunities { get; init; } = [];
    public uint? LocalPref { get; init; }
    public uint? Med { get; init; }
    /// <summary>Peers (by address) that get this advertisement; empty means all.</summary>
    public IReadOnlyList<IPAddress> Peers { get; init; } = [];
}
