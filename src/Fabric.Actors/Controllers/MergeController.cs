using Akka.Actor;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Merges the per-layer specs of one type (network-config) into the specs the spec controllers apply
/// (network): for each id the highest layer wins; link specs merge field by field so a lower layer fills gaps.</summary>
public sealed class MergeController(IActorRef store, ResourceType type) : ControllerActor(store)
{
    protected override string Name => $"{type.Name}MergeController";
    protected override IReadOnlyList<ResourceKind> Inputs { get; } = [ResourceTypes.LayeredKind(type)];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [type.Kind];

    public static Props Props(IActorRef store, ResourceType type) => Akka.Actor.Props.Create(() => new MergeController(store, type));

    protected override IReadOnlyCollection<ControllerOutput> Reconcile(InputView inputs) =>
        inputs.Resources(Inputs[0])
            .Where(r => r.Metadata.Layer is not null && r.Spec is ILayeredSpec)
            .GroupBy(r => ((ILayeredSpec)r.Spec).SpecId)
            .Select(group => Merge(group.Key, group.OrderBy(r => Layers.Priority(r.Metadata.Layer!)).ToList()))
            .ToList();

    private ControllerOutput Merge(string id, IReadOnlyList<Resource> lowToHigh)
    {
        var top = lowToHigh[^1];
        var spec = top.Spec;
        if (spec is LinkSpec)
            spec = lowToHigh.Select(r => (LinkSpec)r.Spec).Aggregate((lower, higher) => higher.Over(lower));
        else if (spec is ResolverSpec)
            // An upper layer with no servers does not erase the servers a lower layer knows (Talos' rule).
            spec = lowToHigh.Select(r => r.Spec).OfType<ResolverSpec>().LastOrDefault(r => r.DnsServers.Count > 0) ?? spec;
        return new ControllerOutput(type.Kind, id, spec, top.Metadata.Layer);
    }
}
