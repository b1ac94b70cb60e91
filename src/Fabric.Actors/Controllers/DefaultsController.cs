using Akka.Actor;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Layer "default": what every node has unless a higher layer says otherwise — loopback up.</summary>
public sealed class DefaultsController(IActorRef store) : ControllerActor(store)
{
    protected override string Name => nameof(DefaultsController);
    protected override IReadOnlyList<ResourceKind> Inputs { get; } = [];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.LayeredKind(ResourceTypes.LinkSpec)];

    protected override void PreStart()
    {
        base.PreStart();
        Requeue();
    }

    protected override IReadOnlyCollection<ControllerOutput> Reconcile(InputView inputs)
    {
        var lo = new LinkSpec { Name = "lo", Up = true };
        return [new ControllerOutput(Outputs[0], Layers.LayeredId(Layers.Default, lo.SpecId), lo, Layers.Default)];
    }
}
