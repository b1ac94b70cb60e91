using Akka.Actor;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>The resolvers in effect are the merged spec's; the EtcFile controller writes them to resolv.conf.</summary>
public sealed class ResolverSpecController(IActorRef store) : ControllerActor(store)
{
    protected override string Name => nameof(ResolverSpecController);
    protected override IReadOnlyList<ResourceKind> Inputs { get; } = [ResourceTypes.ResolverSpec.Kind];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.ResolverStatus.Kind];

    protected override IReadOnlyCollection<ControllerOutput> Reconcile(InputView inputs) =>
        inputs.Single<ResolverSpec>(ResourceTypes.ResolverSpec) is { } spec
            ? [ControllerOutput.Of(ResourceTypes.ResolverStatus, "resolvers",
                new ResolverStatus { DnsServers = spec.DnsServers, SearchDomains = spec.SearchDomains })]
            : [];
}
