using System.Net;
using Akka.Actor;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Publishes the node's addresses as filtered sets: current (every global address on a non-loopback
/// link), routed (current without VIPs), accumulative (every address ever current since start) and default
/// (the first routed address of each family, stable across restarts of the same config).</summary>
public sealed class NodeAddressController(IActorRef store) : ControllerActor(store)
{
    private readonly SortedSet<string> accumulative = new(StringComparer.Ordinal);

    protected override string Name => nameof(NodeAddressController);
    protected override IReadOnlyList<ResourceKind> Inputs { get; } =
        [ResourceTypes.AddressStatus.Kind, ResourceTypes.LinkStatus.Kind, ResourceTypes.MachineConfig.Kind];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.NodeAddress.Kind];

    protected override IReadOnlyCollection<ControllerOutput> Reconcile(InputView inputs)
    {
        var loopbacks = inputs.Specs<LinkStatus>(ResourceTypes.LinkStatus).Where(l => l.Type == "loopback").Select(l => l.Index).ToHashSet();
        var vips = inputs.Single<MachineConfigSpec>(ResourceTypes.MachineConfig)?.Config.Network.Vips.Select(v => v.Ip).ToHashSet() ?? [];
        var current = inputs.Specs<AddressStatus>(ResourceTypes.AddressStatus)
            .Where(a => !loopbacks.Contains(a.LinkIndex) && a.Scope == "global")
            .OrderBy(a => a.LinkIndex).ThenBy(a => a.Address, StringComparer.Ordinal)
            .ToList();
        var routed = current.Where(a => !vips.Contains(IpPrefix.Parse(a.Address).Address) && !IsLinkLocal(a.Address)).ToList();
        foreach (var a in current) accumulative.Add(a.Address);
        var defaults = routed.GroupBy(a => a.Family).OrderBy(g => g.Key).Select(g => g.First().Address);
        return
        [
            Set("current", current.Select(a => a.Address)),
            Set("routed", routed.Select(a => a.Address)),
            Set("accumulative", accumulative),
            Set("default", defaults),
        ];
    }

    private static bool IsLinkLocal(string cidr)
    {
        var address = IpPrefix.Parse(cidr).Address;
        return address.IsIPv6LinkLocal || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
                                           && address.GetAddressBytes() is [169, 254, ..]);
    }

    private static ControllerOutput Set(string id, IEnumerable<string> addresses) =>
        ControllerOutput.Of(ResourceTypes.NodeAddress, id, new NodeAddress { Addresses = addresses.ToArray() });
}
