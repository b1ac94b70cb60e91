using Akka.Actor;

namespace Fabric.Vip.Election;

/// <summary>The well-known parent of <see cref="VipElector"/>s (/user/vip for VIPs): one child per elected address,
/// named by its id, so peers find each other's electors at &lt;parent&gt;/&lt;vip-id&gt;. Electors are given at
/// creation (VIPs) or started and stopped one by one (<see cref="StartElector"/>, <see cref="StopElector"/>) by
/// users whose addresses come and go, such as load balancer service IPs.</summary>
public sealed class VipRoot : ReceiveActor
{
    public const string Name = "vip";

    /// <summary>Graceful stop of every elector below this root; answered with <see cref="AllReleased"/>. Electors
    /// started afterwards are refused: the node is going away.</summary>
    public sealed record ReleaseAll(TimeSpan Timeout)
    {
        public static readonly ReleaseAll Default = new(TimeSpan.FromSeconds(2));
    }

    public sealed record AllReleased(IReadOnlyList<string> VipIds);

    /// <summary>Start an elector unless one with this id runs; one with this id still releasing is replaced once it
    /// has stopped (peers address electors by id, so two must never hold the name at once).</summary>
    public sealed record StartElector(VipElectorSettings Settings, IVipOwnerActions Actions);

    /// <summary>Withdraw, release and stop the elector with this id.</summary>
    public sealed record StopElector(string VipId);

    /// <summary>Forwarded to the elector as <see cref="VipElector.SetCandidacy"/>.</summary>
    public sealed record SetCandidacy(string VipId, bool Candidate);

    private sealed record ReleasedBeforeStop(IActorRef Elector);

    private readonly IActorRef _listener;
    private readonly IMonotonicClock _clock;
    private readonly HashSet<string> _stopping = [];
    private readonly Dictionary<string, StartElector> _startWhenStopped = [];
    private bool _releasedAll;

    public static Props Props(IReadOnlyList<(VipElectorSettings Settings, IVipOwnerActions Actions)> vips, IActorRef listener, IMonotonicClock clock) =>
        Akka.Actor.Props.Create(() => new VipRoot(vips, listener, clock));

    public VipRoot(IReadOnlyList<(VipElectorSettings Settings, IVipOwnerActions Actions)> vips, IActorRef listener, IMonotonicClock clock)
    {
        _listener = listener;
        _clock = clock;
        foreach (var (settings, actions) in vips) Start(settings, actions);
        Receive<ReleaseAll>(r =>
        {
            _releasedAll = true;
            _startWhenStopped.Clear();
            var sender = Sender;
            // Electors being stopped have released already.
            var asks = Context.GetChildren().Where(c => !_stopping.Contains(c.Path.Name))
                .Select(c => c.Ask<VipElector.Released>(VipElector.Release.Instance, r.Timeout)).ToList();
            // Reply when every elector has withdrawn and released (or timed out); the actor is not blocked.
            Task.WhenAll(asks).ContinueWith(t =>
                new AllReleased(t.IsCompletedSuccessfully ? t.Result.Select(x => x.VipId).ToList() : []), TaskScheduler.Default).PipeTo(sender);
        });
        Receive<StartElector>(m =>
        {
            if (_releasedAll) return;
            var id = m.Settings.VipId;
            if (_stopping.Contains(id)) _startWhenStopped[id] = m;
            else if (Context.Child(id).IsNobody()) Start(m.Settings, m.Actions);
        });
        Receive<StopElector>(m =>
        {
            _startWhenStopped.Remove(m.VipId);
            var child = Context.Child(m.VipId);
            if (child.IsNobody() || !_stopping.Add(m.VipId)) return;
            Context.Watch(child);
            // Stop it only once it has withdrawn and released (or failed to say so in time), so the next node takes
            // over at once instead of waiting for the lease to run out.
            child.Ask<VipElector.Released>(VipElector.Release.Instance, ReleaseAll.Default.Timeout)
                .ContinueWith(_ => new ReleasedBeforeStop(child), TaskScheduler.Default).PipeTo(Self);
        });
        Receive<ReleasedBeforeStop>(m => Context.Stop(m.Elector));
        Receive<Terminated>(t =>
        {
            var id = t.ActorRef.Path.Name;
            _stopping.Remove(id);
            if (_startWhenStopped.Remove(id, out var next)) Start(next.Settings, next.Actions);
        });
        Receive<SetCandidacy>(m =>
        {
            if (_startWhenStopped.TryGetValue(m.VipId, out var queued))
                _startWhenStopped[m.VipId] = queued with { Settings = queued.Settings with { Candidate = m.Candidate } };
            else if (!_stopping.Contains(m.VipId))
                Context.Child(m.VipId).Tell(new VipElector.SetCandidacy(m.Candidate));
        });
    }

    private void Start(VipElectorSettings settings, IVipOwnerActions actions) =>
        Context.ActorOf(VipElector.Props(settings, actions, _listener, _clock), settings.VipId);
}
