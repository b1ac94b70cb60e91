using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Vip.LoadBalancer.Sources.Config;

/// <summary>The service source for machines without Kubernetes: the v1 Service documents of the running
/// MachineConfig. Sends the target a <see cref="ServiceSourceMessages.Snapshot"/> when it first sees the config,
/// then Upserted/Deleted as `fabric apply` publishes new generations. Config services have no status to write:
/// allocations are only shown by `fabric get services`.</summary>
public sealed class ConfigServiceSource : ReceiveActor
{
    public const string SourceName = "config";

    /// <summary>Replies with <see cref="ProblemsResult"/>: what is wrong with the Service documents of the running config.</summary>
    public sealed record GetProblems
    {
        public static readonly GetProblems Instance = new();
    }

    public sealed record ProblemsResult(long Generation, IReadOnlyList<ConfigDiagnostic> Diagnostics);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _store;
    private readonly IActorRef _target;
    private readonly string? _fabricClass;
    private IReadOnlyDictionary<string, LoadBalancerService>? _published;
    private long _generation = -1;
    private IReadOnlyList<ConfigDiagnostic> _diagnostics = [];

    public ConfigServiceSource(IActorRef store, IActorRef target, string? fabricClass)
    {
        _store = store;
        _target = target;
        _fabricClass = fabricClass;
        Receive<WatchSnapshot>(m => Apply(m.Resources.LastOrDefault(IsMachineConfig)));
        Receive<WatchEvents>(m =>
        {
            foreach (var e in m.Events.Where(e => IsMachineConfig(e.Resource)))
                Apply(e.Type == EventType.Destroyed ? null : e.Resource);
        });
        Receive<GetProblems>(_ => Sender.Tell(new ProblemsResult(_generation, _diagnostics)));
    }

    public static Props Props(IActorRef store, IActorRef target, string? fabricClass = null) =>
        Akka.Actor.Props.Create(() => new ConfigServiceSource(store, target, fabricClass));

    protected override void PreStart() => _store.Tell(new Watch(ResourceTypes.MachineConfig.Kind), Self);

    private static bool IsMachineConfig(Resource r) => r.Metadata.Id == MachineConfigSpec.Id && r.Spec is MachineConfigSpec;

    private void Apply(Resource? resource)
    {
        var spec = resource?.Spec as MachineConfigSpec;
        // The store repeats a resource on unrelated metadata changes; only a new generation can change the services.
        if (_published is not null && spec is not null && spec.Generation == _generation) return;
        _generation = spec?.Generation ?? -1;

        var result = spec is null
            ? new ConfigServices.Result(new Dictionary<string, LoadBalancerService>(), [])
            : ConfigServices.Read(spec.Config, _fabricClass, spec.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _diagnostics = result.Diagnostics;
        foreach (var d in result.Diagnostics)
            _log.Warning("Service document ignored: {0}", d);

        if (_published is null)
            _target.Tell(ServiceSetDiff.Snapshot(SourceName, result.Services), Self);
        else
            foreach (var message in ServiceSetDiff.Between(SourceName, _published, result.Services))
                _target.Tell(message, Self);
        _published = result.Services;
    }
}
