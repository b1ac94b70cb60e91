using Fabric.Actors.Config;
using k8s;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>fabric.loadBalancer.kubernetes turned into what the source runs with.</summary>
public static class KubernetesClientSettings
{
    /// <summary>Reads the kubeconfig file (or the pod's service account) now; throws when it cannot.</summary>
    public static KubernetesSourceSettings From(LoadBalancerKubernetesSettings settings, string nodeName) => new()
    {
        Client = settings.Kubeconfig is { } path
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path, settings.Context)
            : KubernetesClientConfiguration.InClusterConfig(),
        LoadBalancerClass = settings.LoadBalancerClass,
        WatchMetalLb = settings.MetallbObjects,
        MetalLbNamespace = settings.MetallbNamespace,
        Instance = nodeName,
    };
}
