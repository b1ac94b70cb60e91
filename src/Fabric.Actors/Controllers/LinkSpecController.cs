using Akka.Actor;
using Fabric.Actors.Etc;
using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Makes links match the merged LinkSpecs: creates logical links (bridge, vlan, bond, wireguard, dummy),
/// sets MTU, up/down and master. It deletes only logical links it created itself and no spec wants; physical
/// links and links made by anyone else are never deleted.</summary>
public sealed class LinkSpecController(IActorRef store, IKernel kernel, OwnedLinks ownedLinks) : ControllerActor(store)
{
    protected override string Name => nameof(LinkSpecController);
    protected override IReadOnlyList<ResourceKind> Inputs { get; } = [ResourceTypes.LinkSpec.Kind, ResourceTypes.LinkStatus.Kind];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.ApplyStatus.Kind];

    public static Props Props(IActorRef store, IKernel kernel, OwnedLinks owned) =>
        Akka.Actor.Props.Create(() => new LinkSpecController(store, kernel, owned));

    protected override async Task<IReadOnlyCollection<ControllerOutput>> ReconcileAsync(InputView inputs)
    {
        var present = inputs.Specs<LinkStatus>(ResourceTypes.LinkStatus).ToDictionary(l => l.Name);
        var specs = inputs.Specs<LinkSpec>(ResourceTypes.LinkSpec).ToList();
        var owned = await ownedLinks.LoadAsync().ConfigureAwait(false);
        var outputs = new List<ControllerOutput>();

        // Links are few and depend on each other (ports need their master, VLANs their parent): one at a time, in order.
        var available = present.Keys.ToHashSet();
        foreach (var spec in specs.OrderBy(CreationOrder).ThenBy(s => s.Name, StringComparer.Ordinal))
        {
            var result = await ApplyAsync(spec, present, available).ConfigureAwait(false);
            if (((ApplyStatus)result.Spec).State == ApplyStatuses.Applied) available.Add(spec.Name);
            outputs.Add(result);
        }

        var wanted = specs.Select(s => s.Name).ToHashSet();
        foreach (var name in owned.Where(n => !wanted.Contains(n)).ToList())
        {
            try
            {
                if (present.ContainsKey(name)) await kernel.DeleteLinkAsync(name).ConfigureAwait(false);
                await ownedLinks.RemoveAsync(name).ConfigureAwait(false);
            }
            catch (KernelException e) when (e.Errno == 19)
            {
                await ownedLinks.RemoveAsync(name).ConfigureAwait(false);
            }
        }
        return outputs;
    }

    private async Task<ControllerOutput> ApplyAsync(LinkSpec spec, IReadOnlyDictionary<string, LinkStatus> present, IReadOnlySet<string> available)
    {
        if (spec.Master is { } master && !available.Contains(master))
            return ApplyStatuses.Of(ResourceTypes.LinkSpec, spec.SpecId, ApplyStatuses.Pending, $"waiting for master {master} to appear");
        if (!present.TryGetValue(spec.Name, out var current))
        {
            if (!spec.Logical)
                return ApplyStatuses.Of(ResourceTypes.LinkSpec, spec.SpecId, ApplyStatuses.Pending, $"waiting for link {spec.Name} to appear");
            return await ApplyStatuses.Attempt(ResourceTypes.LinkSpec, spec.SpecId, async () =>
            {
                // Recorded first: if Fabric dies between the two, it would rather forget nothing it made.
                await ownedLinks.AddAsync(spec.Name).ConfigureAwait(false);
                await kernel.CreateLinkAsync(CreateRequest(spec)).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        var change = ChangeRequest(spec, current);
        if (change is null) return ApplyStatuses.Of(ResourceTypes.LinkSpec, spec.SpecId, ApplyStatuses.Applied);
        return await ApplyStatuses.Attempt(ResourceTypes.LinkSpec, spec.SpecId, () => kernel.SetLinkAsync(change)).ConfigureAwait(false);
    }

    /// <summary>Masters before ports, parents before VLANs.</summary>
    private static int CreationOrder(LinkSpec spec) => spec.Kind switch
    {
        "bridge" or "bond" or "dummy" or "wireguard" => 0,
        "" when spec.Master is null => 1,
        "vlan" => 2,
        _ => 3,
    };

    private static LinkRequest? ChangeRequest(LinkSpec spec, LinkStatus current)
    {
        int? mtu = spec.Mtu is { } m && m != current.Mtu ? m : null;
        bool? up = spec.Up is { } u && u != current.AdminUp ? u : null;
        string? master = spec.Master is { } wantMaster && wantMaster != current.Master ? wantMaster : null;
        if (mtu is null && up is null && master is null) return null;
        return new LinkRequest { Name = spec.Name, Mtu = mtu, Up = up, Master = master };
    }

    private static LinkRequest CreateRequest(LinkSpec spec) => new()
    {
        Name = spec.Name,
        Kind = spec.Kind,
        Mtu = spec.Mtu,
        Up = spec.Up,
        Master = spec.Master,
        Bridge = spec.Bridge is { } b ? new BridgeOptions(b.Stp, b.VlanFiltering) : null,
        Vlan = spec.Vlan is { } v ? new VlanOptions(v.Parent, (ushort)v.VlanId) : null,
        Bond = spec.Bond,
        Wireguard = spec.Wireguard,
    };
}
