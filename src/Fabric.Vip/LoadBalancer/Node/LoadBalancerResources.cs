using Fabric.Actors.Resources;

namespace Fabric.Vip.LoadBalancer.Node;

/// <summary>A LoadBalancer service and what it got: `fabric get services`. Id: namespace/name.</summary>
public sealed record ServiceState : IResourceSpec
{
    public required string Service { get; init; }
    public IReadOnlyList<string> Ips { get; init; } = [];
    public string Pool { get; init; } = "";
    /// <summary>Why it has no address: exhausted pool, unknown pool, conflicting request...</summary>
    public string Error { get; init; } = "";
    /// <summary>E.g. it keeps an address its pool no longer contains (pools are never shrunk under a service).</summary>
    public string Warning { get; init; } = "";
}

/// <summary>An IPAddressPool's use: `fabric get ipaddresspools`. Id: the pool name.</summary>
public sealed record PoolState : IResourceSpec
{
    public required string Name { get; init; }
    public required string Size { get; init; }
    public long Used { get; init; }
    public required string Free { get; init; }
    public IReadOnlyList<string> Addresses { get; init; } = [];
    public bool AutoAssign { get; init; }
}

public static class LoadBalancerResources
{
    public static readonly ResourceType Service = new(nameof(ServiceState), typeof(ServiceState), "loadbalancer", ["services", "service", "svc"]);
    public static readonly ResourceType Pool = new(nameof(PoolState), typeof(PoolState), "loadbalancer", ["ipaddresspools", "ipaddresspool", "pools"]);

    public static readonly ResourceType Config = new(nameof(LoadBalancerConfigSpec), typeof(LoadBalancerConfigSpec), "loadbalancer", ["lbconfig", "loadbalancerconfig", "loadbalancerconfigs"]);
    public static readonly ResourceType ConfigSource = new(nameof(LoadBalancerConfigSourceState), typeof(LoadBalancerConfigSourceState), "loadbalancer", ["lbconfigsources", "lbconfigsource", "loadbalancerconfigsources"]);

    public static readonly ResourceKey ConfigKey = new(Config.Namespace, Config.Name, LoadBalancerConfigSpec.Id);

    public static void Register()
    {
        ResourceTypes.Register(Service);
        ResourceTypes.Register(Pool);
        ResourceTypes.Register(Config);
        ResourceTypes.Register(ConfigSource);
    }
}
