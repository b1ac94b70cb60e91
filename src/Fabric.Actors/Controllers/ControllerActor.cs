using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Actors.Controllers;

/// <summary>The base of every controller: it watches its inputs and the outputs it owns, and whenever an input
/// changes it recomputes all its outputs from all its inputs, writes what differs and destroys what it owns and
/// no longer produces. Bursts of changes coalesce into one reconcile. An exception escapes to the supervisor,
/// which restarts the controller with backoff; the store keeps its outputs meanwhile.</summary>
public abstract class ControllerActor : ReceiveActor, IWithTimers
{
    private sealed record RunReconcile
    {
        public static readonly RunReconcile Instance = new();
    }

    private sealed record RecheckDue
    {
        public static readonly RecheckDue Instance = new();
    }

    private sealed record ReconcileDone(IReadOnlyCollection<ControllerOutput> Outputs);
    private sealed record ReconcileFailed(Exception Error);

    private readonly Dictionary<ResourceKind, Dictionary<string, Resource>> inputs = new();
    private readonly Dictionary<ResourceKind, Dictionary<string, Resource>> owned = new();
    private readonly HashSet<ResourceKind> awaitingSnapshot = new();
    private bool dirty;
    private bool running;
    private bool queued;
    private long reconcileStarted;

    public ITimerScheduler Timers { get; set; } = null!;
    protected IActorRef Store { get; }
    protected ILoggingAdapter Log { get; } = Context.GetLogger();

    /// <summary>The owner name stamped on every output.</summary>
    protected abstract string Name { get; }
    protected abstract IReadOnlyList<ResourceKind> Inputs { get; }
    protected abstract IReadOnlyList<ResourceKind> Outputs { get; }

    protected ControllerActor(IActorRef store)
    {
        Store = store;
        Receive<WatchSnapshot>(OnSnapshot);
        Receive<WatchEvents>(OnEvents);
        Receive<RunReconcile>(_ => { queued = false; StartReconcile(); });
        Receive<RecheckDue>(_ => Requeue());
        Receive<ReconcileDone>(m => { running = false; WriteOutputs(m.Outputs); AfterReconcile(); });
        Receive<ReconcileFailed>(m => throw new ControllerException(Name, m.Error));
    }

    protected override void PreStart()
    {
        foreach (var kind in Inputs.Concat(Outputs).Distinct())
        {
            awaitingSnapshot.Add(kind);
            Store.Tell(new Watch(kind));
        }
    }

    protected override void PostStop()
    {
        foreach (var kind in Inputs.Concat(Outputs).Distinct()) Store.Tell(new Unwatch(kind));
    }

    /// <summary>Compute every output from the inputs. Synchronous controllers override this one.</summary>
    protected virtual IReadOnlyCollection<ControllerOutput> Reconcile(InputView inputs) => [];

    /// <summary>Controllers that talk to the kernel or the file system override this one; the result is piped
    /// back to the actor so it never blocks.</summary>
    protected virtual Task<IReadOnlyCollection<ControllerOutput>> ReconcileAsync(InputView inputs) =>
        Task.FromResult(Reconcile(inputs));

    /// <summary>Ask for another reconcile, e.g. when something outside the store changed.</summary>
    protected void Requeue()
    {
        dirty = true;
        if (!running && !queued && awaitingSnapshot.Count == 0)
        {
            queued = true;
            Self.Tell(RunReconcile.Instance);
        }
    }

    /// <summary>Reconcile again after a delay even if no input changes (call it from the synchronous part of a
    /// reconcile, which runs on the actor's thread).</summary>
    protected void RequeueAfter(TimeSpan delay) => Timers.StartSingleTimer(nameof(RecheckDue), RecheckDue.Instance, delay);

    private void OnSnapshot(WatchSnapshot m)
    {
        var isInput = Inputs.Contains(m.Kind);
        if (isInput) inputs[m.Kind] = m.Resources.ToDictionary(r => r.Metadata.Id);
        if (Outputs.Contains(m.Kind))
            owned[m.Kind] = m.Resources.Where(r => r.Metadata.Owner == Name).ToDictionary(r => r.Metadata.Id);
        awaitingSnapshot.Remove(m.Kind);
        Requeue();
    }

    private void OnEvents(WatchEvents m)
    {
        var isInput = Inputs.Contains(m.Kind);
        if (isInput) Apply(inputs, m, _ => true);
        if (Outputs.Contains(m.Kind)) Apply(owned, m, r => r.Metadata.Owner == Name);
        if (isInput) Requeue();
    }

    private static void Apply(Dictionary<ResourceKind, Dictionary<string, Resource>> cache, WatchEvents m, Func<Resource, bool> keep)
    {
        if (!cache.TryGetValue(m.Kind, out var byId)) cache[m.Kind] = byId = new();
        foreach (var e in m.Events)
        {
            if (e.Type == EventType.Destroyed || !keep(e.Resource)) byId.Remove(e.Resource.Metadata.Id);
            else byId[e.Resource.Metadata.Id] = e.Resource;
        }
    }

    private void StartReconcile()
    {
        if (running || awaitingSnapshot.Count > 0 || !dirty) return;
        dirty = false;
        running = true;
        reconcileStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        var view = new InputView(inputs.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<Resource>)kv.Value.Values.ToArray()));
        Task<IReadOnlyCollection<ControllerOutput>> task;
        try { task = ReconcileAsync(view); }
        catch (Exception e) { throw new ControllerException(Name, e); }
        if (task.IsCompletedSuccessfully)
        {
            running = false;
            WriteOutputs(task.Result);
            AfterReconcile();
            return;
        }
        task.PipeTo(Self, success: r => new ReconcileDone(r), failure: e => new ReconcileFailed(e));
    }

    private void AfterReconcile()
    {
        if (dirty && !queued)
        {
            queued = true;
            Self.Tell(RunReconcile.Instance);
        }
    }

    /// <summary>How long a controller whose last reconcile left a failed ApplyStatus waits before trying again
    /// on its own: a kernel refusal (EBUSY, ENETUNREACH...) may clear without any event announcing it.</summary>
    protected virtual TimeSpan FailureRetry => TimeSpan.FromSeconds(5);

    private void WriteOutputs(IReadOnlyCollection<ControllerOutput> outputs)
    {
        if (outputs.Any(o => o.Spec is ApplyStatus { State: ApplyStatuses.Failed })) RequeueAfter(FailureRetry);
        if (Log.IsDebugEnabled)
            Log.Debug("{0}: reconciled in {1:F1} ms, {2} outputs", Name, System.Diagnostics.Stopwatch.GetElapsedTime(reconcileStarted).TotalMilliseconds, outputs.Count);
        var wanted = new HashSet<ResourceKey>();
        var puts = new List<Put>();
        foreach (var output in outputs)
        {
            if (!Outputs.Contains(output.Kind))
                throw new ControllerException(Name, new InvalidOperationException($"{Name} produced {output.Kind}, which it does not own"));
            if (!wanted.Add(output.Key)) continue;
            var cache = Cache(output.Kind);
            if (cache.TryGetValue(output.Id, out var current) && current.Metadata.Layer == output.Layer
                && SpecEquality.Same(current.Spec, output.Spec)) continue;
            puts.Add(new Put(output.Key, output.Spec, output.Layer));
            // The store will confirm through the watch; recording it now keeps the next diff from repeating it.
            cache[output.Id] = new Resource(new ResourceMetadata
            {
                Namespace = output.Kind.Namespace, Type = output.Kind.Type, Id = output.Id, Owner = Name,
                Layer = output.Layer, Version = current?.Metadata.Version ?? 0,
            }, output.Spec);
        }
        var destroys = new List<ResourceKey>();
        foreach (var (kind, byId) in owned)
            foreach (var id in byId.Keys.ToList())
            {
                var key = new ResourceKey(kind.Namespace, kind.Type, id);
                if (wanted.Contains(key)) continue;
                destroys.Add(key);
                byId.Remove(id);
            }
        if (puts.Count > 0 || destroys.Count > 0) Store.Tell(new Write(Name, puts, destroys), ActorRefs.NoSender);
    }

    private Dictionary<string, Resource> Cache(ResourceKind kind)
    {
        if (!owned.TryGetValue(kind, out var byId)) owned[kind] = byId = new();
        return byId;
    }
}

public sealed class ControllerException(string controller, Exception inner)
    : Exception($"controller {controller} failed: {inner.Message}", inner)
{
    public string Controller { get; } = controller;
}
