using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using static Fabric.Vip.LoadBalancer.Allocation.AllocatorMessages;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>The cluster-wide allocator. Every decision's events are journaled before anyone hears of it: the
/// reply to the sender and the ServiceAllocation published to the listener come from the persist handler, so an
/// address a source has seen is never handed out again after a crash. Commands that arrive while events are being
/// written are stashed by Akka until the write completes, so each decision sees the state of the previous one.
/// A journal failure stops the actor and so does a rejected event (under <see cref="AllocatorSingleton"/>, which
/// starts it again from the journal, dropping the in-memory state that ran ahead of it).</summary>
public sealed class AllocatorActor : ReceivePersistentActor
{
    public const string Id = "fabric-lb-allocator";

    private readonly IActorRef _listener;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private AllocatorState _state = new();
    /// <summary>Latest known version of each service, kept in memory only (sources re-send them after a
    /// restart), to retry the ones that could not get an address when addresses free up.</summary>
    private readonly Dictionary<string, (LoadBalancerService Service, string Source)> _services = new();
    private int _eventsSinceSnapshot;

    public override string PersistenceId => Id;

    public static Props Props(IActorRef listener, int snapshotEvery = 1000) =>
        Akka.Actor.Props.Create(() => new AllocatorActor(listener, snapshotEvery));

    public AllocatorActor(IActorRef listener, int snapshotEvery)
    {
        _listener = listener;
        _snapshotEvery = snapshotEvery;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is AllocatorSnapshot snapshot) _state = AllocatorState.FromSnapshot(snapshot);
        });
        Recover<AllocatorEvent>(e => _state.Apply(e));
        Recover<RecoveryCompleted>(_ => _log.Info("allocator recovered: {0} allocations, {1} pools", _state.Allocations.Count, _state.Pools.Count));

        Command<AllocatorMessages.ConfigurePools>(OnConfigurePools);
        Command<ServiceSourceMessages.Upserted>(OnUpserted);
        Command<ServiceSourceMessages.Deleted>(OnDeleted);
        Command<ServiceSourceMessages.Snapshot>(OnSourceSnapshot);
        Command<GetPoolStatus>(_ => Sender.Tell(new PoolStatusReport(_state.PoolStatuses())));
        Command<GetAllocations>(_ => Sender.Tell(new AllocationsReport(
            _state.Allocations.Keys.Concat(_services.Keys).Distinct().Order(StringComparer.Ordinal).Select(Describe).ToList())));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "allocator snapshot failed; the journal still has every event"));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "deleting old allocator snapshots failed"));
        // A command, not a PoisonPill: it waits behind journal writes in flight, whose decisions were already promised.
        Command<AllocatorFeed.Stop>(_ => Context.Stop(Self));
    }

    private void OnConfigurePools(AllocatorMessages.ConfigurePools msg)
    {
        var events = _state.SetPools(msg.Pools).ToList();
        var touched = RetryUnallocated(events);
        var flagged = _state.OutsidePool().Select(a => a.Service);
        JournalThen(events, () =>
        {
            var report = new PoolStatusReport(_state.PoolStatuses());
            Publish(touched.Concat(flagged).Distinct());
            _listener.Tell(report);
            return report;
        });
    }

    private void OnUpserted(ServiceSourceMessages.Upserted msg)
    {
        _services[msg.Service.Key] = (msg.Service, msg.Source);
        var outcome = Allocate(msg.Service, msg.Source);
        var events = outcome.Events.ToList();
        var touched = new List<string> { msg.Service.Key };
        if (events.OfType<IpReleased>().Any()) touched.AddRange(RetryUnallocated(events));
        JournalThen(events, () =>
        {
            Publish(touched);
            return Describe(msg.Service.Key);
        });
    }

    private void OnDeleted(ServiceSourceMessages.Deleted msg)
    {
        var key = $"{msg.Namespace}/{msg.Name}";
        _services.Remove(key);
        _lastErrors.Remove(key);
        var events = _state.Release(key).ToList();
        var touched = new List<string> { key };
        if (events.Count > 0) touched.AddRange(RetryUnallocated(events));
        JournalThen(events, () =>
        {
            Publish(touched);
            return Describe(key);
        });
    }

    /// <summary>A source's complete list: its services missing from it are gone. Services that already hold
    /// addresses are confirmed before new ones are placed, so a restart never reshuffles anybody.</summary>
    private void OnSourceSnapshot(ServiceSourceMessages.Snapshot msg)
    {
        var present = msg.Services.Select(s => s.Key).ToHashSet();
        var events = new List<AllocatorEvent>();
        var gone = _services.Where(kv => kv.Value.Source == msg.Source && !present.Contains(kv.Key)).Select(kv => kv.Key)
            .Concat(_state.Allocations.Values.Where(a => a.Source == msg.Source && !present.Contains(a.Service)).Select(a => a.Service))
            .Distinct().ToList();
        foreach (var key in gone)
        {
            _services.Remove(key);
            events.AddRange(_state.Release(key));
        }
        foreach (var s in msg.Services) _services[s.Key] = (s, msg.Source);
        var ordered = msg.Services.OrderBy(s => _state.Allocations.ContainsKey(s.Key) ? 0 : 1).ThenBy(s => s.Key, StringComparer.Ordinal);
        foreach (var s in ordered) events.AddRange(Allocate(s, msg.Source).Events);
        var touched = gone.Concat(RetryUnallocated(events)).Concat(present).ToList();
        JournalThen(events, () =>
        {
            Publish(touched);
            return new AllocationsReport(msg.Services.Select(s => Describe(s.Key)).ToList());
        });
    }

    /// <summary>Services without an address get another try after something was released or pools changed.</summary>
    private List<string> RetryUnallocated(List<AllocatorEvent> events)
    {
        var retried = new List<string>();
        foreach (var (key, (service, source)) in _services.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList())
        {
            if (_state.Allocations.ContainsKey(key)) continue;
            events.AddRange(Allocate(service, source).Events);
            retried.Add(key);
        }
        return retried;
    }

    private void JournalThen(List<AllocatorEvent> events, Func<object> reply)
    {
        var sender = Sender;
        if (events.Count == 0)
        {
            sender.Tell(reply());
            return;
        }
        var written = 0;
        PersistAll(events, _ =>
        {
            if (++written < events.Count) return;
            sender.Tell(reply());
            _eventsSinceSnapshot += events.Count;
            if (_eventsSinceSnapshot >= _snapshotEvery)
            {
                _eventsSinceSnapshot = 0;
                SaveSnapshot(_state.ToSnapshot());
            }
        });
    }

    /// <summary>Why a service has no address is not journaled (it is recomputed whenever the service is seen), so
    /// it is remembered here for replies and GetAllocations.</summary>
    private readonly Dictionary<string, string> _lastErrors = new();

    private AllocatorState.Outcome Allocate(LoadBalancerService service, string source)
    {
        var outcome = _state.Allocate(service, source);
        if (outcome.Allocation.Error is { } error) _lastErrors[service.Key] = error;
        else _lastErrors.Remove(service.Key);
        return outcome;
    }

    private ServiceAllocation Describe(string key)
    {
        var allocation = _state.Describe(key);
        if (allocation.Ips.Count > 0 || !_services.ContainsKey(key)) return allocation;
        return allocation with { Error = _lastErrors.GetValueOrDefault(key) ?? "no address" };
    }

    private void Publish(IEnumerable<string> keys)
    {
        foreach (var key in keys.Distinct()) _listener.Tell(Describe(key));
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        throw new InvalidOperationException("allocator event rejected by the journal; restarting to recover the journaled state", cause);
    }
}
