using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Config;
using Fabric.Vip.LoadBalancer.Sources.Config;

namespace Fabric.Vip.LoadBalancer.Node;

/// <summary>The load balancer on a node (/user/lb): the persistent allocator, fed with the pools of the MetalLB
/// documents and the v1 Service documents of the running config, and what it decides published as ServiceState
/// and PoolState resources. Only valid configs reach the store, so the documents read here are already checked.</summary>
public sealed class LoadBalancerNodeController : ReceiveActor
{
    public const string OwnerName = "LoadBalancerNodeController";

    private readonly IActorRef store;
    private readonly IActorRef allocator;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly HashSet<ResourceKey> pools = [];
    private long generation = -1;
    private bool poolStatusAsked;

    public LoadBalancerNodeController(IActorRef store)
    {
        this.store = store;
        allocator = Context.ActorOf(AllocatorActor.PropsWithBackoff(Self), "allocator");
        Context.ActorOf(ConfigServiceSource.Props(store, allocator), "config-services");
        Receive<WatchSnapshot>(m => OnConfig(m.Resources.Select(r => r.Spec).OfType<MachineConfigSpec>().FirstOrDefault()));
        Receive<WatchEvents>(m => OnConfig(m.Events.LastOrDefault() is { Type: not EventType.Destroyed } e ? e.Resource.Spec as MachineConfigSpec : null));
        Receive<ServiceAllocation>(a =>
        {
            Publish(a);
            // Pool use changes with every allocation; one question in flight covers a burst of them.
            if (poolStatusAsked) return;
            poolStatusAsked = true;
            allocator.Tell(AllocatorMessages.GetPoolStatus.Instance, Self);
        });
        Receive<AllocatorMessages.PoolStatusReport>(r =>
        {
            poolStatusAsked = false;
            Publish(r);
        });
    }

    public static Props Props(IActorRef store) => Akka.Actor.Props.Create(() => new LoadBalancerNodeController(store));

    protected override void PreStart() => store.Tell(new Watch(ResourceTypes.MachineConfig.Kind));

    private void OnConfig(MachineConfigSpec? config)
    {
        if (config is null || config.Generation == generation) return;
        generation = config.Generation;
        var lb = LoadBalancerConfigReader.FromExtraDocuments(config.Config.ExtraDocuments);
        if (!lb.IsValid)
        {
            log.Error("load balancer config of generation {0} is not valid; keeping the pools in use: {1}", generation,
                string.Join("; ", lb.Diagnostics.Where(d => d.IsError)));
            return;
        }
        allocator.Tell(new AllocatorMessages.ConfigurePools(lb.Pools), Self);
    }

    private void Publish(ServiceAllocation a)
    {
        var key = new ResourceKey(LoadBalancerResources.Service.Namespace, LoadBalancerResources.Service.Name, a.Service);
        // The allocator answers a deleted service with an empty allocation and no error.
        if (a.Ips.Count == 0 && a.Error is null)
        {
            store.Tell(new Write(OwnerName, [], [key]), ActorRefs.NoSender);
            return;
        }
        store.Tell(Write.One(OwnerName, new Put(key, new ServiceState
        {
            Service = a.Service, Ips = a.Ips.Select(ip => ip.ToString()).ToArray(), Pool = a.Pool ?? "",
            Error = a.Error ?? "", Warning = a.Warning ?? "",
        })), ActorRefs.NoSender);
    }

    private void Publish(AllocatorMessages.PoolStatusReport report)
    {
        var puts = report.Pools.Select(p => new Put(
            new ResourceKey(LoadBalancerResources.Pool.Namespace, LoadBalancerResources.Pool.Name, p.Name),
            new PoolState { Name = p.Name, Size = p.Size.ToString(), Used = p.Used, Free = p.Free.ToString(), Addresses = p.Addresses, AutoAssign = p.AutoAssign }))
            .ToList();
        var gone = pools.Where(k => puts.All(p => p.Key != k)).ToList();
        pools.Clear();
        pools.UnionWith(puts.Select(p => p.Key));
        store.Tell(new Write(OwnerName, puts, gone), ActorRefs.NoSender);
    }
}
