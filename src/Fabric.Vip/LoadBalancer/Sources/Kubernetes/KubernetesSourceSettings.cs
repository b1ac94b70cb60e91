using k8s;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>How the Kubernetes source reaches and behaves towards the API server.</summary>
public sealed record KubernetesSourceSettings
{
    /// <summary>In-cluster (<see cref="KubernetesClientConfiguration.InClusterConfig"/>), from a kubeconfig, or an explicit host.</summary>
    public required KubernetesClientConfiguration Client { get; init; }
    /// <summary>spec.loadBalancerClass Fabric serves; null serves services without a class.</summary>
    public string? LoadBalancerClass { get; init; }
    /// <summary>Whether to watch the MetalLB custom resources (they may not be installed).</summary>
    public bool WatchMetalLb { get; init; } = true;
    /// <summary>The namespace MetalLB runs in: its objects are read from there only, as MetalLB does.</summary>
    public string MetalLbNamespace { get; init; } = "metallb-system";
    public RetryBackoff Backoff { get; init; } = RetryBackoff.Default;
    /// <summary>A watch that brings nothing, not even a bookmark (the API server sends one about every minute), for
    /// this long is presumed dead (a connection that vanished without closing) and started again from the last
    /// version seen.</summary>
    public TimeSpan WatchIdleTimeout { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>Who Events say they come from.</summary>
    public string Component { get; init; } = "fabric-lb";
    /// <summary>Which node reported an Event (reportingInstance); the host name when not set.</summary>
    public string? Instance { get; init; }
}
