using Akka.Actor;
using Akka.Pattern;
using Fabric.Actors.Etc;
using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Actors.Controllers;

/// <summary>What a node's controllers need from the outside world.</summary>
public sealed record NodeEnvironment(IKernel Kernel, string EtcRoot, string StateDir, ILinkHardware Hardware)
{
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>/user/node: owns the store and every per-node controller. Each controller sits behind its own
/// backoff supervisor, so one that keeps throwing is restarted ever more slowly while the store and the other
/// controllers carry on.</summary>
public sealed class NodeSupervisor : ReceiveActor
{
    public sealed record GetStore
    {
        public static readonly GetStore Instance = new();
    }

    private readonly IActorRef store;

    public NodeSupervisor(NodeEnvironment env)
    {
        store = Context.ActorOf(ResourceStore.Props(), "store");
        var controllers = new Dictionary<string, Props>
        {
            ["kernel-status"] = KernelStatusController.Props(env.Kernel, store),
            ["defaults"] = Akka.Actor.Props.Create(() => new DefaultsController(store)),
            ["link-config"] = Akka.Actor.Props.Create(() => new LinkConfigController(store, env.Hardware)),
            ["address-config"] = Akka.Actor.Props.Create(() => new AddressConfigController(store, env.Hardware)),
            ["route-config"] = Akka.Actor.Props.Create(() => new RouteConfigController(store, env.Hardware)),
            ["hostname-config"] = Akka.Actor.Props.Create(() => new HostnameConfigController(store, env.Hardware)),
            ["resolver-config"] = Akka.Actor.Props.Create(() => new ResolverConfigController(store, env.Hardware)),
            ["hosts-config"] = Akka.Actor.Props.Create(() => new HostsConfigController(store, env.Hardware)),
            ["link-spec"] = LinkSpecController.Props(store, env.Kernel, new OwnedLinks(env.StateDir)),
            ["address-spec"] = AddressSpecController.Props(store, env.Kernel),
            ["route-spec"] = RouteSpecController.Props(store, env.Kernel),
            ["hostname-spec"] = HostnameSpecController.Props(store, env.Kernel),
            ["resolver-spec"] = Akka.Actor.Props.Create(() => new ResolverSpecController(store)),
            ["etc-files"] = EtcFileController.Props(store, env.EtcRoot),
            ["node-addresses"] = Akka.Actor.Props.Create(() => new NodeAddressController(store)),
        };
        foreach (var type in new[] { ResourceTypes.LinkSpec, ResourceTypes.AddressSpec, ResourceTypes.RouteSpec,
                     ResourceTypes.HostnameSpec, ResourceTypes.ResolverSpec, ResourceTypes.HostsSpec })
            controllers[$"{type.Name.ToLowerInvariant()}-merge"] = MergeController.Props(store, type);

        foreach (var (name, props) in controllers)
            Context.ActorOf(WithBackoff(props, name, env), name);

        Receive<GetStore>(_ => Sender.Tell(store));
    }

    public static Props Props(NodeEnvironment env) => Akka.Actor.Props.Create(() => new NodeSupervisor(env));

    public static Props WithBackoff(Props child, string name, NodeEnvironment env) =>
        BackoffSupervisor.Props(Backoff.OnFailure(child, name, env.MinBackoff, env.MaxBackoff, 0.2, maxNrOfRetries: -1)
            .WithAutoReset(TimeSpan.FromSeconds(30)));

    /// <summary>The store outlives controllers; if the store itself fails, the node is in an unknown state and stops.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(e => Directive.Escalate);
}
