using Akka.Actor;
using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Sets the kernel's hostname from the merged HostnameSpec (sethostname, so in the agent's own UTS
/// namespace) and reports what the kernel then says as HostnameStatus. Without a spec the hostname is left as it is.</summary>
public sealed class HostnameSpecController(IActorRef store, IKernel kernel) : ControllerActor(store)
{
    protected override string Name => nameof(HostnameSpecController);
    protected override IReadOnlyList<ResourceKind> Inputs { get; } = [ResourceTypes.HostnameSpec.Kind];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.HostnameStatus.Kind, ResourceTypes.ApplyStatus.Kind];

    public static Props Props(IActorRef store, IKernel kernel) => Akka.Actor.Props.Create(() => new HostnameSpecController(store, kernel));

    protected override async Task<IReadOnlyCollection<ControllerOutput>> ReconcileAsync(InputView inputs)
    {
        var outputs = new List<ControllerOutput>();
        var spec = inputs.Single<HostnameSpec>(ResourceTypes.HostnameSpec);
        if (spec is not null)
        {
            var current = await kernel.GetHostnameAsync().ConfigureAwait(false);
            outputs.Add(current == spec.Hostname
                ? ApplyStatuses.Of(ResourceTypes.HostnameSpec, spec.SpecId, ApplyStatuses.Applied)
                : await ApplyStatuses.Attempt(ResourceTypes.HostnameSpec, spec.SpecId, () => kernel.SetHostnameAsync(spec.Hostname)).ConfigureAwait(false));
        }
        var actual = await kernel.GetHostnameAsync().ConfigureAwait(false);
        var domain = spec is not null && spec.Hostname == actual ? spec.Domainname : "";
        outputs.Add(ControllerOutput.Of(ResourceTypes.HostnameStatus, "hostname", new HostnameStatus { Hostname = actual, Domainname = domain }));
        return outputs;
    }
}
