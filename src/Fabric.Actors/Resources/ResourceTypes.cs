namespace Fabric.Actors.Resources;

/// <summary>Every resource type: its name in the store, its CLR spec type, where it lives, and what the CLI calls it.</summary>
public sealed record ResourceType(string Name, Type SpecType, string Namespace, IReadOnlyList<string> Aliases)
{
    public ResourceKind Kind => new(Namespace, Name);
}

public static class ResourceTypes
{
    public static readonly ResourceType LinkSpec = new(nameof(Resources.LinkSpec), typeof(LinkSpec), Namespaces.Network, ["linkspecs", "linkspec"]);
    public static readonly ResourceType AddressSpec = new(nameof(Resources.AddressSpec), typeof(AddressSpec), Namespaces.Network, ["addressspecs", "addressspec"]);
    public static readonly ResourceType RouteSpec = new(nameof(Resources.RouteSpec), typeof(RouteSpec), Namespaces.Network, ["routespecs", "routespec"]);
    public static readonly ResourceType HostnameSpec = new(nameof(Resources.HostnameSpec), typeof(HostnameSpec), Namespaces.Network, ["hostnamespecs", "hostnamespec"]);
    public static readonly ResourceType ResolverSpec = new(nameof(Resources.ResolverSpec), typeof(ResolverSpec), Namespaces.Network, ["resolverspecs", "resolverspec"]);
    public static readonly ResourceType HostsSpec = new(nameof(Resources.HostsSpec), typeof(HostsSpec), Namespaces.Network, ["hostsspecs", "hostsspec", "statichosts"]);
    public static readonly ResourceType LinkStatus = new(nameof(Resources.LinkStatus), typeof(LinkStatus), Namespaces.Network, ["links", "link", "linkstatuses"]);
    public static readonly ResourceType AddressStatus = new(nameof(Resources.AddressStatus), typeof(AddressStatus), Namespaces.Network, ["addresses", "address", "addressstatuses"]);
    public static readonly ResourceType RouteStatus = new(nameof(Resources.RouteStatus), typeof(RouteStatus), Namespaces.Network, ["routes", "route", "routestatuses"]);
    public static readonly ResourceType HostnameStatus = new(nameof(Resources.HostnameStatus), typeof(HostnameStatus), Namespaces.Network, ["hostname", "hostnames", "hostnamestatuses"]);
    public static readonly ResourceType ResolverStatus = new(nameof(Resources.ResolverStatus), typeof(ResolverStatus), Namespaces.Network, ["resolvers", "resolver", "resolverstatuses"]);
    public static readonly ResourceType NodeAddress = new(nameof(Resources.NodeAddress), typeof(NodeAddress), Namespaces.Network, ["nodeaddresses", "nodeaddress"]);
    public static readonly ResourceType ApplyStatus = new(nameof(Resources.ApplyStatus), typeof(ApplyStatus), Namespaces.Network, ["applystatuses", "applystatus"]);
    public static readonly ResourceType EtcFileStatus = new(nameof(Resources.EtcFileStatus), typeof(EtcFileStatus), Namespaces.Network, ["etcfiles", "etcfile", "etcfilestatuses"]);
    public static readonly ResourceType MachineConfig = new("MachineConfig", typeof(MachineConfigSpec), Namespaces.Config, ["machineconfig", "machineconfigs"]);

    private static readonly List<ResourceType> all =
    [
        LinkSpec, AddressSpec, RouteSpec, HostnameSpec, ResolverSpec, HostsSpec,
        LinkStatus, AddressStatus, RouteStatus, HostnameStatus, ResolverStatus, NodeAddress, ApplyStatus, EtcFileStatus,
        MachineConfig,
    ];

    public static IReadOnlyList<ResourceType> All => all;

    /// <summary>Other parts of Fabric (VIPs, BGP, load balancer) add their types at start-up.</summary>
    public static void Register(ResourceType type)
    {
        if (all.Exists(t => t.Name == type.Name)) return;
        all.Add(type);
    }

    public static ResourceType? ByAlias(string alias)
    {
        alias = alias.ToLowerInvariant();
        return all.Find(t => t.Aliases.Contains(alias) || t.Name.Equals(alias, StringComparison.OrdinalIgnoreCase));
    }

    public static ResourceType? ByName(string name) => all.Find(t => t.Name == name);

    public static ResourceType Of(IResourceSpec spec) =>
        all.Find(t => t.SpecType == spec.GetType()) ?? throw new InvalidOperationException($"{spec.GetType().Name} is not a registered resource type");

    /// <summary>The network-config (per-layer) kind of a layered spec type.</summary>
    public static ResourceKind LayeredKind(ResourceType type) => new(Namespaces.NetworkConfig, type.Name);
}
