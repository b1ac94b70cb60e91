using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;

namespace Fabric.Vip.Fence;

/// <summary>Whether the kernel fence works on this node, for status ("on", "starting", "off: why").</summary>
public sealed record FenceState(string Text)
{
    public bool On => Text == "on";
}

/// <summary>The lease fence of this node (/user/lease-fence): sets the nftables tables up with nft once, when the
/// first address is declared or opened, then moves set elements over its own nfnetlink socket. One change per
/// address is in flight at a time; newer wishes for it wait and replace older ones, so renewals never queue up.
/// If nftables is unusable it says so once and lets everything through: the node then runs as it did without a
/// fence (a killed agent's addresses answer until it is restarted).</summary>
public sealed class LeaseFence : ReceiveActor, IWithTimers
{
    /// <summary>The full set of addresses <paramref name="Source"/> may own by Layer 2 on this node.</summary>
    /// <param name="GuardTraffic">Also drop IP traffic to them while not owned (VIPs; not service IPs, see
    /// <see cref="FenceRuleset"/>).</param>
    public sealed record Manage(string Source, IReadOnlyCollection<IPAddress> Ips, bool GuardTraffic = false);

    /// <summary>Open until the <see cref="Stopwatch"/> timestamp <paramref name="Deadline"/>.</summary>
    public sealed record Open(IPAddress Ip, long Deadline, TaskCompletionSource? Done);

    public sealed record Close(IPAddress Ip);

    /// <summary>The agent stops gracefully, having released what it owned: the tables go, so nothing of Fabric's
    /// keeps dropping ARP for these addresses on a host where Fabric no longer runs (say, after it was replaced by
    /// another VIP manager). Answered with <see cref="TornDown"/>. A killed agent leaves them, which is the point.</summary>
    public sealed record TearDown
    {
        public static readonly TearDown Instance = new();
    }

    public sealed record TornDown(string? Error);

    /// <summary>The sender gets the current <see cref="FenceState"/> and every change.</summary>
    public sealed record Subscribe
    {
        public static readonly Subscribe Instance = new();
    }

    private sealed record SetUp(string? Error);
    private sealed record Probed(string? Error);
    private sealed record Applied(IPAddress Ip, long Version, string? Error, List<TaskCompletionSource> Waiters);
    private sealed record ManagedApplied(string? Error);
    private sealed record GraceOver { public static readonly GraceOver Instance = new(); }

    private enum Phase { Idle, SettingUp, On, Off }

    private readonly Func<string, Task<string?>> _applyRuleset;
    private readonly Func<NfTablesSets> _openSets;
    private readonly TimeSpan _grace;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, HashSet<IPAddress>> _declared = new(StringComparer.Ordinal);
    private readonly HashSet<string> _guardedSources = new(StringComparer.Ordinal);
    // Per address: the latest wish (a deadline, or null to close), its version, and who waits for it.
    private readonly Dictionary<IPAddress, (long? Deadline, long Version)> _wanted = [];
    private readonly Dictionary<IPAddress, List<TaskCompletionSource>> _waiters = [];
    private readonly HashSet<IPAddress> _inFlight = [];
    private readonly HashSet<IActorRef> _subscribers = [];
    private NfTablesSets? _sets;
    private Phase _phase;
    private string _state = "starting";
    private long _version;
    private bool _managedDirty, _managedInFlight, _graceOver, _tornDown;
    private string? _lastError;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="grace">How long after set-up the managed sets keep addresses nobody declared (a predecessor's),
    /// so a killed agent's leftover addresses stay fenced until the new agent's sources have spoken.</param>
    public static Props Props(TimeSpan? grace = null, Func<string, Task<string?>>? applyRuleset = null, Func<NfTablesSets>? openSets = null) =>
        Akka.Actor.Props.Create(() => new LeaseFence(grace ?? TimeSpan.FromSeconds(30), applyRuleset ?? (s => NftCommand.ApplyAsync(s, "nft")), openSets ?? (() => NfTablesSets.Open(null))));

    public LeaseFence(TimeSpan grace, Func<string, Task<string?>> applyRuleset, Func<NfTablesSets> openSets)
    {
        _grace = grace;
        _applyRuleset = applyRuleset;
        _openSets = openSets;
        Receive<Subscribe>(_ =>
        {
            _subscribers.Add(Sender);
            Context.Watch(Sender);
            Sender.Tell(new FenceState(_state));
        });
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<Manage>(m =>
        {
            _declared[m.Source] = m.Ips.ToHashSet();
            if (m.GuardTraffic) _guardedSources.Add(m.Source); else _guardedSources.Remove(m.Source);
            _managedDirty = true;
            // A node with nothing to fence never touches nftables.
            if (_declared.Values.Any(ips => ips.Count > 0)) StartSetUp();
            PumpManaged();
        });
        Receive<Open>(m =>
        {
            Want(m.Ip, m.Deadline);
            if (m.Done is not null) Waiters(m.Ip).Add(m.Done);
            StartSetUp();
            Pump(m.Ip);
        });
        Receive<Close>(m =>
        {
            if (!_wanted.ContainsKey(m.Ip) && _phase != Phase.On) return;
            Want(m.Ip, null);
            Pump(m.Ip);
        });
        Receive<SetUp>(OnSetUp);
        Receive<Probed>(m =>
        {
            if (_phase != Phase.SettingUp) return; // torn down meanwhile
            if (m.Error is null) TurnOn(); else TurnOff(m.Error);
        });
        Receive<TearDown>(_ => OnTearDown());
        Receive<Applied>(OnApplied);
        Receive<ManagedApplied>(m =>
        {
            _managedInFlight = false;
            if (m.Error is not null) Report($"the managed address sets could not be updated: {m.Error}");
            PumpManaged();
        });
        Receive<GraceOver>(_ =>
        {
            _graceOver = true;
            _managedDirty = true;
            PumpManaged();
        });
    }

    protected override void PostStop() => _sets?.Dispose();

    private void Want(IPAddress ip, long? deadline) => _wanted[ip] = (deadline, ++_version);

    private List<TaskCompletionSource> Waiters(IPAddress ip)
    {
        if (!_waiters.TryGetValue(ip, out var list)) _waiters[ip] = list = [];
        return list;
    }

    private void StartSetUp()
    {
        if (_phase != Phase.Idle) return;
        _phase = Phase.SettingUp;
        var apply = _applyRuleset;
        Task.Run(async () =>
        {
            var error = await apply(FenceRuleset.Script).ConfigureAwait(false);
            // Sets of another shape from another version: replace the tables whole, still atomically.
            if (error is not null && !error.StartsWith("cannot run", StringComparison.Ordinal))
                error = await apply(FenceRuleset.ReplacingScript).ConfigureAwait(false) is { } second ? $"{error}; replacing the tables: {second}" : null;
            return new SetUp(error);
        }).PipeTo(Self);
    }

    private void OnTearDown()
    {
        var wasSetUp = _phase is Phase.SettingUp or Phase.On;
        _tornDown = true;
        StopFencing("off: the agent stopped");
        if (!wasSetUp) { Sender.Tell(new TornDown(null)); return; }
        _log.Info("lease fence: removing the nftables tables (graceful stop)");
        _applyRuleset(FenceRuleset.RemovingScript).PipeTo(Sender, success: error => new TornDown(error));
    }

    /// <summary>Tears the fence down late in a graceful shutdown, after the VIP and service electors released what
    /// they owned (<see cref="CoordinatedShutdown.PhaseBeforeServiceUnbind"/>).</summary>
    public static void RegisterTearDown(ActorSystem system, IActorRef fence) =>
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceUnbind, "fabric-fence-teardown", async () =>
        {
            try
            {
                var done = await fence.Ask<TornDown>(TearDown.Instance, TimeSpan.FromSeconds(3)).ConfigureAwait(false);
                if (done.Error is not null) system.Log.Warning("lease fence: removing the nftables tables failed: {0}", done.Error);
            }
            catch (AskTimeoutException) { system.Log.Warning("lease fence: the nftables tables were not removed in time"); }
            return Akka.Done.Instance;
        });

    private void OnSetUp(SetUp m)
    {
        if (_phase != Phase.SettingUp)
        {
            // Torn down while the set-up ran: its tables may have landed after the removal, so remove them again.
            if (_tornDown) _applyRuleset(FenceRuleset.RemovingScript).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }
        string? error = m.Error;
        if (error is null)
        {
            try { _sets = _openSets(); }
            catch (KernelException e) { error = $"cannot open the nf_tables netlink socket: {e.Message}"; }
        }
        if (error is not null) { TurnOff(error); return; }
        var sets = _sets!;
        ProbeTimeoutRenewalAsync(sets).ContinueWith(t => new Probed(t.IsFaulted ? $"the timeout check failed: {t.Exception!.GetBaseException().Message}" : t.Result),
            TaskScheduler.Default).PipeTo(Self);
    }

    /// <summary>The owner renews its element by adding it again, which renews the timeout only on kernels that
    /// support it (Linux 6.11 on). Elsewhere the fence would silence the owner one validity after it acquired; such
    /// a kernel gets no fence rather than that. Checked with a probe element: 100 ms, renewed to a minute, and still
    /// there 300 ms later only if renewing worked.</summary>
    private static async Task<string?> ProbeTimeoutRenewalAsync(NfTablesSets sets)
    {
        var probe = IPAddress.Parse("192.0.2.0");
        await sets.ApplyAsync([NftSetChange.Add(FenceRuleset.Probe, probe, TimeSpan.FromMilliseconds(100))]).ConfigureAwait(false);
        await sets.ApplyAsync([NftSetChange.Add(FenceRuleset.Probe, probe, TimeSpan.FromMinutes(1))]).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromMilliseconds(300)).ConfigureAwait(false);
        try { await sets.ApplyAsync([NftSetChange.Delete(FenceRuleset.Probe, probe)]).ConfigureAwait(false); }
        catch (KernelException e) when (e.Errno == 2)
        {
            // The tables stay, with a predecessor's managed addresses in them: emptied, nothing is dropped any more.
            await sets.ApplyAsync(FenceRuleset.AddressSets.Select(NftSetChange.Flush).ToList()).ConfigureAwait(false);
            return "this kernel does not renew an nftables set element's timeout when it is added again (Linux 6.11 and later do)";
        }
        return null;
    }

    private void TurnOff(string error)
    {
        _log.Error("lease fence is OFF: {0}. Layer 2 addresses are not fenced in the kernel: if only this agent dies, " +
                   "the kernel keeps answering ARP/NDP for the addresses it owned until the agent is restarted, and " +
                   "may do so alongside the next owner", error);
        StopFencing($"off: {error}");
    }

    /// <summary>From now on every open completes at once and nothing touches nftables.</summary>
    private void StopFencing(string state)
    {
        _phase = Phase.Off;
        SetState(state);
        foreach (var list in _waiters.Values) foreach (var w in list) w.TrySetResult();
        _waiters.Clear();
        _wanted.Clear();
    }

    private void TurnOn()
    {
        _phase = Phase.On;
        _log.Info("lease fence on: nftables tables arp/inet {0} set up", FenceRuleset.Table);
        SetState("on");
        Timers.StartSingleTimer("grace", GraceOver.Instance, _grace);
        PumpManaged();
        foreach (var ip in _wanted.Keys.ToList()) Pump(ip);
    }

    private void Pump(IPAddress ip)
    {
        if (_phase == Phase.Off)
        {
            if (_waiters.Remove(ip, out var done)) foreach (var w in done) w.TrySetResult();
            _wanted.Remove(ip);
            return;
        }
        if (_phase != Phase.On || _inFlight.Contains(ip) || !_wanted.TryGetValue(ip, out var wish)) return;
        var sets = _sets!;
        var waiters = _waiters.Remove(ip, out var w2) ? w2 : [];
        var remaining = wish.Deadline is { } deadline ? Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline) : TimeSpan.Zero;
        _inFlight.Add(ip);
        Task work;
        if (remaining >= TimeSpan.FromMilliseconds(1))
        {
            // Re-adding an element (with its expiration: see NfTablesCodec) restarts its countdown (kernel ≥ 6.11); one batch keeps ARP and IP sets in step.
            work = sets.ApplyAsync(FenceRuleset.OwnedSets(ip).Select(s => NftSetChange.Add(s, ip, remaining)).ToList());
        }
        else
        {
            // Deleted set by set, so an element already expired in one set (ENOENT) cannot keep it in another.
            work = Task.WhenAll(FenceRuleset.OwnedSets(ip).Select(async s =>
            {
                try { await sets.ApplyAsync([NftSetChange.Delete(s, ip)]).ConfigureAwait(false); }
                catch (KernelException e) when (e.Errno == 2) { /* expired or never added: closed already */ }
            }));
        }
        var version = wish.Version;
        work.ContinueWith(t => new Applied(ip, version, t.Exception?.GetBaseException().Message, waiters), TaskScheduler.Default).PipeTo(Self);
    }

    private void OnApplied(Applied m)
    {
        _inFlight.Remove(m.Ip);
        foreach (var w in m.Waiters) w.TrySetResult();
        if (m.Error is not null) Report($"fencing {m.Ip} failed: {m.Error}");
        else if (_lastError is not null && _inFlight.Count == 0 && !_managedInFlight) { _lastError = null; SetState("on"); }
        if (!_wanted.TryGetValue(m.Ip, out var wish)) return;
        if (wish.Version != m.Version) Pump(m.Ip);
        else if (wish.Deadline is null) _wanted.Remove(m.Ip);
    }

    /// <summary>Replaces the managed sets with what the sources declared, in one batch. Until the grace after
    /// set-up is over it only adds, keeping a predecessor's addresses fenced.</summary>
    private void PumpManaged()
    {
        if (_phase != Phase.On || _managedInFlight || !_managedDirty) return;
        _managedDirty = false;
        var all = _declared.Values.SelectMany(s => s).ToHashSet();
        var guarded = _declared.Where(d => _guardedSources.Contains(d.Key)).SelectMany(d => d.Value).ToHashSet();
        var changes = new List<NftSetChange>();
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            foreach (var set in FenceRuleset.ManagedSets(family)) Refill(set, all, family);
            Refill(FenceRuleset.GuardedSet(family), guarded, family);
        }

        void Refill(NftSetRef set, HashSet<IPAddress> wanted, AddressFamily family)
        {
            var ips = wanted.Where(ip => ip.AddressFamily == family).OrderBy(ip => ip.ToString(), StringComparer.Ordinal).ToList();
            if (_graceOver) changes.Add(NftSetChange.Flush(set));
            if (ips.Count > 0) changes.Add(new NftSetChange(NftChangeKind.Add, set, ips));
        }
        if (changes.Count == 0) return;
        _managedInFlight = true;
        _sets!.ApplyAsync(changes).ContinueWith(t => new ManagedApplied(t.Exception?.GetBaseException().Message), TaskScheduler.Default).PipeTo(Self);
    }

    private void Report(string error)
    {
        if (error == _lastError) return;
        _lastError = error;
        _log.Error("lease fence: {0}", error);
        SetState($"error: {error}");
    }

    private void SetState(string text)
    {
        if (text == _state) return;
        _state = text;
        foreach (var s in _subscribers) s.Tell(new FenceState(text));
    }
}

/// <summary>The <see cref="ILeaseFence"/> electors use: messages to the node's <see cref="LeaseFence"/>.</summary>
public sealed class ActorLeaseFence(IActorRef fence) : ILeaseFence
{
    public Task OpenAsync(IPAddress ip, TimeSpan validFor)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(validFor.TotalSeconds * Stopwatch.Frequency);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        fence.Tell(new LeaseFence.Open(ip, deadline, done));
        return done.Task;
    }

    public void Close(IPAddress ip) => fence.Tell(new LeaseFence.Close(ip));
}
