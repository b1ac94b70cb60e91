using Akka.Actor;
using Akka.Event;
using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Actors.Controllers;

/// <summary>Mirrors the kernel's links, addresses and routes into LinkStatus, AddressStatus and RouteStatus.
/// It subscribes to netlink events first and dumps second, so nothing falls in between; afterwards it only
/// follows events (no polling). One actor owns all three because addresses and routes are named by their
/// link, which only the link table knows. Events that arrive together are written to the store together.</summary>
public sealed class KernelStatusController : ReceiveActor
{
    public const string OwnerName = "KernelStatusController";

    private sealed record Dumped(IReadOnlyList<KernelLink> Links, IReadOnlyList<KernelAddress> Addresses, IReadOnlyList<KernelRoute> Routes);
    private sealed record Flush
    {
        public static readonly Flush Instance = new();
    }

    private sealed record RoutesDumped(IReadOnlyList<KernelRoute> Routes);

    private readonly IKernel kernel;
    private readonly IActorRef store;
    private readonly ILoggingAdapter log = Context.GetLogger();
    private readonly Dictionary<int, KernelLink> links = new();
    private readonly Dictionary<ResourceKey, IResourceSpec> written = new();
    private readonly List<KernelEvent> pending = [];
    private readonly List<KernelEvent> routeEventsDuringDump = [];
    private IDisposable? subscription;
    private bool flushQueued;
    private bool routeDumpRunning;

    public KernelStatusController(IKernel kernel, IActorRef store)
    {
        this.kernel = kernel;
        this.store = store;
        Become(Dumping);
    }

    public static Props Props(IKernel kernel, IActorRef store) => Akka.Actor.Props.Create(() => new KernelStatusController(kernel, store));

    protected override void PreStart()
    {
        var self = Self;
        subscription = kernel.Subscribe(e => self.Tell(e));
        StartDump();
    }

    protected override void PostStop() => subscription?.Dispose();

    private void StartDump()
    {
        async Task<Dumped> Dump() => new(await kernel.GetLinksAsync(), await kernel.GetAddressesAsync(), await kernel.GetRoutesAsync());
        Dump().PipeTo(Self, failure: e => new Status.Failure(e));
    }

    private void Dumping()
    {
        Receive<KernelEvent>(e => pending.Add(e));
        Receive<Dumped>(d =>
        {
            ApplyDump(d);
            Become(Following);
            Flushed();
        });
        Receive<Status.Failure>(f => throw new ControllerException(OwnerName, f.Cause));
    }

    private void Following()
    {
        Receive<KernelResyncNeeded>(e =>
        {
            log.Warning("kernel events were lost ({0}); dumping the kernel again", e.Reason);
            pending.Clear();
            Become(Dumping);
            StartDump();
        });
        Receive<KernelEvent>(e =>
        {
            pending.Add(e);
            if (flushQueued) return;
            flushQueued = true;
            // Queued behind the events already in the mailbox, so a burst becomes one store write.
            Self.Tell(Flush.Instance);
        });
        Receive<Flush>(_ => Flushed());
        Receive<RoutesDumped>(OnRoutesDumped);
        Receive<Status.Failure>(f => throw new ControllerException(OwnerName, f.Cause));
    }

    private void ApplyDump(Dumped d)
    {
        links.Clear();
        foreach (var l in d.Links) links[l.Index] = l;
        var wanted = new Dictionary<ResourceKey, IResourceSpec>();
        foreach (var l in d.Links) wanted[LinkKey(l.Name)] = KernelStatusMapper.Link(l, NameOf);
        foreach (var a in d.Addresses)
        {
            var (id, status) = KernelStatusMapper.Address(a, NameOf(a.LinkIndex));
            wanted[Key(ResourceTypes.AddressStatus, id)] = status;
        }
        foreach (var r in d.Routes)
            if (KernelStatusMapper.Route(r, NameOf(r.OutLinkIndex)) is var (id, status))
                wanted[Key(ResourceTypes.RouteStatus, id)] = status;
        var destroys = written.Keys.Where(k => !wanted.ContainsKey(k)).ToList();
        written.Clear();
        foreach (var kv in wanted) written[kv.Key] = kv.Value;
        store.Tell(new Write(OwnerName, wanted.Select(kv => new Put(kv.Key, kv.Value)).ToList(), destroys), ActorRefs.NoSender);
    }

    private void Flushed()
    {
        flushQueued = false;
        if (pending.Count == 0) return;
        var puts = new Dictionary<ResourceKey, IResourceSpec>();
        var destroys = new HashSet<ResourceKey>();
        void Set(ResourceKey key, IResourceSpec spec) { puts[key] = spec; destroys.Remove(key); written[key] = spec; }
        void Remove(ResourceKey key) { puts.Remove(key); if (written.Remove(key)) destroys.Add(key); }
        var routesMayHaveGoneQuietly = false;

        foreach (var e in pending)
        {
            if (routeDumpRunning && e is RouteAdded or RouteDeleted)
            {
                routeEventsDuringDump.Add(e);
                continue;
            }
            routesMayHaveGoneQuietly |= DropsRoutesSilently(e);
            switch (e)
            {
                case LinkUpdated { Link: var l }:
                    if (links.TryGetValue(l.Index, out var old) && old.Name != l.Name) RenameLink(old, l, Set, Remove);
                    links[l.Index] = l;
                    Set(LinkKey(l.Name), KernelStatusMapper.Link(l, NameOf));
                    break;
                case LinkDeleted { Link: var l }:
                    links.Remove(l.Index);
                    Remove(LinkKey(l.Name));
                    break;
                case AddressAdded { Address: var a }:
                {
                    var (id, status) = KernelStatusMapper.Address(a, NameOf(a.LinkIndex));
                    Set(Key(ResourceTypes.AddressStatus, id), status);
                    break;
                }
                case AddressDeleted { Address: var a }:
                    Remove(Key(ResourceTypes.AddressStatus, KernelStatusMapper.Address(a, NameOf(a.LinkIndex)).Id));
                    break;
                case RouteAdded { Route: var r }:
                    if (KernelStatusMapper.Route(r, NameOf(r.OutLinkIndex)) is var (rid, rs)) Set(Key(ResourceTypes.RouteStatus, rid), rs);
                    break;
                case RouteDeleted { Route: var r }:
                    if (KernelStatusMapper.Route(r, NameOf(r.OutLinkIndex)) is var (did, _)) Remove(Key(ResourceTypes.RouteStatus, did));
                    break;
            }
        }
        pending.Clear();
        if (puts.Count > 0 || destroys.Count > 0)
            store.Tell(new Write(OwnerName, puts.Select(kv => new Put(kv.Key, kv.Value)).ToList(), destroys.ToList()), ActorRefs.NoSender);
        if (routesMayHaveGoneQuietly && !routeDumpRunning)
        {
            routeDumpRunning = true;
            kernel.GetRoutesAsync().PipeTo(Self, success: r => new RoutesDumped(r), failure: e => new Status.Failure(e));
        }
    }

    /// <summary>The kernel removes IPv4 routes through an address or link that goes away without announcing each
    /// one, so after such an event the route table is read again.</summary>
    private bool DropsRoutesSilently(KernelEvent e) => e switch
    {
        AddressDeleted { Address.Family: System.Net.Sockets.AddressFamily.InterNetwork } => true,
        LinkDeleted => true,
        LinkUpdated { Link: var l } => links.TryGetValue(l.Index, out var before) && (before.AdminUp && !l.AdminUp || before.LowerUp && !l.LowerUp),
        _ => false,
    };

    /// <summary>The dump is the truth as of some instant; route events that arrived while it ran are replayed after it.</summary>
    private void OnRoutesDumped(RoutesDumped d)
    {
        routeDumpRunning = false;
        var wanted = new Dictionary<ResourceKey, IResourceSpec>();
        foreach (var r in d.Routes)
            if (KernelStatusMapper.Route(r, NameOf(r.OutLinkIndex)) is var (id, status))
                wanted[Key(ResourceTypes.RouteStatus, id)] = status;
        var stale = written.Keys.Where(k => k.Type == ResourceTypes.RouteStatus.Name && !wanted.ContainsKey(k)).ToList();
        foreach (var key in stale) written.Remove(key);
        var changed = wanted.Where(kv => !written.TryGetValue(kv.Key, out var old) || !old.Equals(kv.Value)).ToList();
        foreach (var (key, spec) in changed) written[key] = spec;
        if (stale.Count > 0 || changed.Count > 0)
            store.Tell(new Write(OwnerName, changed.Select(kv => new Put(kv.Key, kv.Value)).ToList(), stale), ActorRefs.NoSender);
        pending.InsertRange(0, routeEventsDuringDump);
        routeEventsDuringDump.Clear();
        Flushed();
    }

    /// <summary>A renamed link renames the ids of its addresses and routes too.</summary>
    private void RenameLink(KernelLink old, KernelLink renamed, Action<ResourceKey, IResourceSpec> set, Action<ResourceKey> remove)
    {
        remove(LinkKey(old.Name));
        foreach (var (key, spec) in written.Where(kv => kv.Value is AddressStatus a && a.LinkIndex == old.Index).ToList())
        {
            remove(key);
            var a = (AddressStatus)spec;
            set(Key(ResourceTypes.AddressStatus, AddressSpec.IdOf(renamed.Name, a.Address)), a with { LinkName = renamed.Name });
        }
    }

    private string NameOf(int index) => links.TryGetValue(index, out var l) ? l.Name : index == 0 ? "" : $"if{index}";

    private static ResourceKey LinkKey(string name) => Key(ResourceTypes.LinkStatus, name);

    private static ResourceKey Key(ResourceType type, string id) => new(type.Namespace, type.Name, id);
}
