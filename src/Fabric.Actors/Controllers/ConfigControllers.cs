using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>The shape every config controller shares: the machine config (and the links, to resolve device
/// selectors) in, specs of one type out, in layer "configuration".</summary>
public abstract class ConfigController<TSpec>(IActorRef store, ResourceType output, ILinkHardware hardware)
    : ControllerActor(store) where TSpec : ILayeredSpec
{
    protected override IReadOnlyList<ResourceKind> Inputs { get; } = [ResourceTypes.MachineConfig.Kind, ResourceTypes.LinkStatus.Kind];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.LayeredKind(output)];

    protected abstract IEnumerable<TSpec> Map(NetworkConfig config, Func<DeviceSelector, string?> resolve);

    protected override IReadOnlyCollection<ControllerOutput> Reconcile(InputView inputs)
    {
        // No config yet (or the agent runs without one): nothing is wanted, and so nothing is left behind.
        if (inputs.Single<MachineConfigSpec>(ResourceTypes.MachineConfig) is not { } machine) return [];
        var links = inputs.Specs<LinkStatus>(ResourceTypes.LinkStatus).ToList();
        string? Resolve(DeviceSelector s) => DeviceSelectorResolver.Resolve(s, links, hardware);
        return Map(machine.Config.Network, Resolve)
            .Select(spec => new ControllerOutput(Outputs[0], Layers.LayeredId(Layers.Configuration, spec.SpecId), spec, Layers.Configuration))
            .ToList();
    }
}

public sealed class LinkConfigController(IActorRef store, ILinkHardware hardware)
    : ConfigController<LinkSpec>(store, ResourceTypes.LinkSpec, hardware)
{
    protected override string Name => nameof(LinkConfigController);
    protected override IEnumerable<LinkSpec> Map(NetworkConfig config, Func<DeviceSelector, string?> resolve) => ConfigSpecMapper.Links(config, resolve);
}

public sealed class AddressConfigController(IActorRef store, ILinkHardware hardware)
    : ConfigController<AddressSpec>(store, ResourceTypes.AddressSpec, hardware)
{
    protected override string Name => nameof(AddressConfigController);
    protected override IEnumerable<AddressSpec> Map(NetworkConfig config, Func<DeviceSelector, string?> resolve) => ConfigSpecMapper.Addresses(config, resolve);
}

public sealed class RouteConfigController(IActorRef store, ILinkHardware hardware)
    : ConfigController<RouteSpec>(store, ResourceTypes.RouteSpec, hardware)
{
    protected override string Name => nameof(RouteConfigController);
    protected override IEnumerable<RouteSpec> Map(NetworkConfig config, Func<DeviceSelector, string?> resolve) => ConfigSpecMapper.Routes(config, resolve);
}

public sealed class HostnameConfigController(IActorRef store, ILinkHardware hardware)
    : ConfigController<HostnameSpec>(store, ResourceTypes.HostnameSpec, hardware)
{
    protected override string Name => nameof(HostnameConfigController);
    protected override IEnumerable<HostnameSpec> Map(NetworkConfig config, Func<DeviceSelector, string?> resolve) =>
        ConfigSpecMapper.Hostname(config) is { } spec ? [spec] : [];
}

public sealed class ResolverConfigController(IActorRef store, ILinkHardware hardware)
    : ConfigController<ResolverSpec>(store, ResourceTypes.ResolverSpec, hardware)
{
    protected override string Name => nameof(ResolverConfigController);
    protected override IEnumerable<ResolverSpec> Map(NetworkConfig config, Func<DeviceSelector, string?> resolve) =>
        ConfigSpecMapper.Resolver(config) is { } spec ? [spec] : [];
}

public sealed class HostsConfigController(IActorRef store, ILinkHardware hardware)
    : ConfigController<HostsSpec>(store, ResourceTypes.HostsSpec, hardware)
{
    protected override string Name => nameof(HostsConfigController);
    protected override IEnumerable<HostsSpec> Map(NetworkConfig config, Func<DeviceSelector, string?> resolve) =>
        ConfigSpecMapper.Hosts(config) is { } spec ? [spec] : [];
}
