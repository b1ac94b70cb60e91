using System.Net;

namespace Fabric.Vip.LoadBalancer;

/// <summary>A Service of type LoadBalancer as the provider needs it, whichever source it came from (the
/// Kubernetes API or a plain v1 Service document in the node's config).</summary>
public sealed record LoadBalancerService
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    /// <summary>Changes whenever the object does (Kubernetes resourceVersion, or the config generation).</summary>
    public string ResourceVersion { get; init; } = "";
    public IReadOnlyList<ServicePort> Ports { get; init; } = [];
    /// <summary>"Cluster" or "Local".</summary>
    public string ExternalTrafficPolicy { get; init; } = "Cluster";
    /// <summary>"SingleStack", "PreferDualStack", "RequireDualStack".</summary>
    public string IpFamilyPolicy { get; init; } = "SingleStack";
    /// <summary>"IPv4" / "IPv6", in preference order.</summary>
    public IReadOnlyList<string> IpFamilies { get; init; } = ["IPv4"];
    /// <summary>Requested addresses: metallb.io/loadBalancerIPs, metallb.universe.tf/loadBalancerIPs, spec.loadBalancerIP.</summary>
    public IReadOnlyList<IPAddress> RequestedIps { get; init; } = [];
    /// <summary>metallb.io/address-pool (or the metallb.universe.tf/ form).</summary>
    public string? RequestedPool { get; init; }
    /// <summary>metallb.io/allow-shared-ip key (or the metallb.universe.tf/ form).</summary>
    public string? SharingKey { get; init; }
    /// <summary>spec.loadBalancerClass; Fabric only serves services without one or with its own class.</summary>
    public string? LoadBalancerClass { get; init; }
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>spec.selector; with ExternalTrafficPolicy Local, services may share an address only with the same selector
    /// (their traffic must land on the same nodes).</summary>
    public IReadOnlyDictionary<string, string> Selector { get; init; } = new Dictionary<string, string>();
    /// <summary>Labels of the service's namespace, for IPAddressPool serviceAllocation.namespaceSelectors.</summary>
    public IReadOnlyDictionary<string, string> NamespaceLabels { get; init; } = new Dictionary<string, string>();
    /// <summary>Nodes with a ready endpoint of this service (from EndpointSlices); used with ExternalTrafficPolicy Local.</summary>
    public IReadOnlyList<string> ReadyNodes { get; init; } = [];

    public string Key => $"{Namespace}/{Name}";
}

public sealed record ServicePort(string Protocol, int Port);

/// <summary>Where a service's addresses came from and where they are announced; what `fabric get services` shows
/// and what a source writes back (status.loadBalancer.ingress, Events).</summary>
public sealed record ServiceAllocation
{
    public required string Service { get; init; }
    public IReadOnlyList<IPAddress> Ips { get; init; } = [];
    public string? Pool { get; init; }
    /// <summary>Null when allocated; otherwise why not (exhausted pool, unknown pool, conflicting request...).</summary>
    public string? Error { get; init; }
    /// <summary>Set while the service keeps an address its pool no longer contains (the pool shrank or was removed):
    /// Fabric reports it instead of moving the service.</summary>
    public string? Warning { get; init; }
}

/// <summary>Messages a service source sends to whoever allocates: the whole set first, then changes.</summary>
public static class ServiceSourceMessages
{
    public sealed record Snapshot(string Source, IReadOnlyList<LoadBalancerService> Services);
    public sealed record Upserted(string Source, LoadBalancerService Service);
    public sealed record Deleted(string Source, string Namespace, string Name);
}
