using System.Collections.Immutable;
using System.Net.Sockets;

namespace Fabric.Actors.Kernel;

/// <summary>A kernel that lives in memory, for controller tests: it keeps links, addresses and routes, checks
/// requests the way the kernel would (ENODEV, EEXIST, ESRCH), and announces every change to subscribers.
/// Requests run one at a time on an exclusive scheduler, so concurrent callers see one order, as with the kernel.</summary>
public sealed class InMemoryKernel : IKernel
{
    private readonly TaskScheduler exclusive = new ConcurrentExclusiveSchedulerPair().ExclusiveScheduler;
    private readonly List<KernelLink> links = [];
    private readonly List<KernelAddress> addresses = [];
    private readonly List<KernelRoute> routes = [];
    private ImmutableList<Action<KernelEvent>> subscribers = [];
    private string hostname = "localhost";
    private int nextIndex = 1;

    /// <summary>When set, every request is passed to it first; a returned exception fails the request.</summary>
    public Func<string, KernelException?>? Fault { get; set; }

    public int RequestCount { get; private set; }

    public InMemoryKernel(params string[] physicalLinks)
    {
        AddLinkNow(new KernelLink { Index = 0, Name = "lo", Type = 772, Mtu = 65536, Flags = 0x1 | 0x8 | 0x10000, OperState = "unknown" });
        foreach (var name in physicalLinks)
            AddLinkNow(new KernelLink { Index = 0, Name = name, Type = 1, Mtu = 1500, HardwareAddr = Mac(nextIndex), OperState = "down" });
    }

    private Task<T> Run<T>(string operation, Func<T> body) =>
        Task.Factory.StartNew(() =>
        {
            RequestCount++;
            if (Fault?.Invoke(operation) is { } fault) throw fault;
            return body();
        }, CancellationToken.None, TaskCreationOptions.None, exclusive);

    private Task Run(string operation, Action body) => Run(operation, () => { body(); return 0; });

    public Task<IReadOnlyList<KernelLink>> GetLinksAsync(CancellationToken ct = default) =>
        Run<IReadOnlyList<KernelLink>>("dump links", () => links.ToArray());

    public Task<IReadOnlyList<KernelAddress>> GetAddressesAsync(CancellationToken ct = default) =>
        Run<IReadOnlyList<KernelAddress>>("dump addresses", () => addresses.ToArray());

    public Task<IReadOnlyList<KernelRoute>> GetRoutesAsync(CancellationToken ct = default) =>
        Run<IReadOnlyList<KernelRoute>>("dump routes", () => routes.ToArray());

    public IDisposable Subscribe(Action<KernelEvent> onEvent)
    {
        ImmutableInterlocked.Update(ref subscribers, list => list.Add(onEvent));
        return new Unsubscriber(() => ImmutableInterlocked.Update(ref subscribers, list => list.Remove(onEvent)));
    }

    private sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    private void Emit(KernelEvent e)
    {
        foreach (var s in subscribers) s(e);
    }

    public Task CreateLinkAsync(LinkRequest request, CancellationToken ct = default) => Run($"create link {request.Name}", () =>
    {
        if (links.Exists(l => l.Name == request.Name)) throw new KernelException(17, $"create link {request.Name}", "File exists");
        if (request.Kind is { } kind && !SupportedKinds.Contains(kind))
            throw new KernelException(95, $"create link {request.Name}", $"unknown link kind \"{request.Kind}\"");
        var parent = request.Vlan is { } vlan ? Find(vlan.Parent, "create link " + request.Name).Index : 0;
        AddLinkNow(new KernelLink
        {
            Index = 0, Name = request.Name, Kind = request.Kind ?? "", Type = 1, Mtu = request.Mtu ?? 1500,
            HardwareAddr = Mac(nextIndex), ParentIndex = parent, VlanId = request.Vlan?.Id ?? 0, OperState = "down",
        });
        Modify(request);
    });

    /// <summary>Link kinds this fake accepts; tests may add vlan/bond to model a kernel that has the drivers.</summary>
    public HashSet<string> SupportedKinds { get; } = ["bridge"];

    public Task SetLinkAsync(LinkRequest request, CancellationToken ct = default) =>
        Run($"set link {request.Name}", () => Modify(request));

    public Task DeleteLinkAsync(string name, CancellationToken ct = default) => Run($"delete link {name}", () =>
    {
        var link = Find(name, $"delete link {name}");
        links.Remove(link);
        foreach (var a in addresses.Where(a => a.LinkIndex == link.Index).ToList()) { addresses.Remove(a); Emit(new AddressDeleted(a)); }
        foreach (var r in routes.Where(r => r.OutLinkIndex == link.Index).ToList()) { routes.Remove(r); Emit(new RouteDeleted(r)); }
        Emit(new LinkDeleted(link));
    });

    public Task AddAddressAsync(KernelAddress address, CancellationToken ct = default) =>
        Run($"add address {address.Prefix}", () =>
        {
            if (!links.Exists(l => l.Index == address.LinkIndex))
                throw new KernelException(19, $"add address {address.Prefix} on link {address.LinkIndex}", "No such device");
            var existing = addresses.FindIndex(a => Same(a, address));
            if (existing >= 0) addresses[existing] = address; else addresses.Add(address);
            Emit(new AddressAdded(address));
            if (address.Prefix.PrefixLength < address.Prefix.MaxLength)
                AddRouteNow(new KernelRoute
                {
                    Family = address.Family, Destination = address.Prefix.Network, OutLinkIndex = address.LinkIndex,
                    Source = address.Family == AddressFamily.InterNetwork ? address.Prefix.Address : null,
                    Protocol = 2, Scope = 253, Metric = address.Family == AddressFamily.InterNetwork ? 0u : 256u,
                });
        });

    public Task DeleteAddressAsync(KernelAddress address, CancellationToken ct = default) =>
        Run($"delete address {address.Prefix}", () =>
        {
            var existing = addresses.Find(a => Same(a, address))
                ?? throw new KernelException(99, $"delete address {address.Prefix}", "Cannot assign requested address");
            addresses.Remove(existing);
            Emit(new AddressDeleted(existing));
            foreach (var r in routes.Where(r => r.Protocol == 2 && r.OutLinkIndex == existing.LinkIndex
                         && r.Destination == existing.Prefix.Network).ToList())
            {
                routes.Remove(r);
                Emit(new RouteDeleted(r));
            }
        });

    public Task ReplaceRouteAsync(KernelRoute route, CancellationToken ct = default) =>
        Run($"replace route {route.Destination}", () =>
        {
            if (route.OutLinkIndex != 0 && !links.Exists(l => l.Index == route.OutLinkIndex))
                throw new KernelException(19, $"replace route {route.Destination}", "No such device");
            if (route.Gateway is { } gw && !addresses.Exists(a => a.Prefix.Contains(gw) && (route.OutLinkIndex == 0 || a.LinkIndex == route.OutLinkIndex)))
                throw new KernelException(101, $"replace route {route.Destination} via {gw}", "Network is unreachable");
            var existing = routes.FindIndex(r => SameRoute(r, route));
            if (existing >= 0) routes.RemoveAt(existing);
            AddRouteNow(route);
        });

    public Task DeleteRouteAsync(KernelRoute route, CancellationToken ct = default) =>
        Run($"delete route {route.Destination}", () =>
        {
            var existing = routes.Find(r => SameRoute(r, route))
                ?? throw new KernelException(3, $"delete route {route.Destination}", "No such process");
            routes.Remove(existing);
            Emit(new RouteDeleted(existing));
        });

    public Task SetHostnameAsync(string name, CancellationToken ct = default) => Run("set hostname", () => { hostname = name; });

    public Task<string> GetHostnameAsync(CancellationToken ct = default) => Run("get hostname", () => hostname);

    /// <summary>Make a change as a person with `ip` would: not through Fabric.</summary>
    public Task ByHand(Action<InMemoryKernel> change) => Run("by hand", () => change(this));

    public void RemoveAddressNow(Func<KernelAddress, bool> match)
    {
        foreach (var a in addresses.Where(match).ToList()) { addresses.Remove(a); Emit(new AddressDeleted(a)); }
    }

    public void AddRouteNow(KernelRoute route)
    {
        routes.Add(route);
        Emit(new RouteAdded(route));
    }

    public void AddAddressNow(KernelAddress address)
    {
        addresses.Add(address);
        Emit(new AddressAdded(address));
    }

    private void AddLinkNow(KernelLink link)
    {
        link = link with { Index = nextIndex++ };
        links.Add(link);
        Emit(new LinkUpdated(link));
    }

    private void Modify(LinkRequest request)
    {
        var link = Find(request.Name, $"set link {request.Name}");
        var updated = link;
        if (request.Mtu is { } mtu)
        {
            if (mtu < 68 || mtu > 65535) throw new KernelException(22, $"set link {request.Name} mtu {mtu}", "Invalid argument");
            updated = updated with { Mtu = mtu };
        }
        if (request.Up is { } up)
            updated = updated with { Flags = up ? updated.Flags | 0x1 | 0x10000 : updated.Flags & ~0x10001u, OperState = up ? "up" : "down" };
        if (request.Master is { } master)
            updated = updated with { MasterIndex = master == "" ? 0 : Find(master, $"set link {request.Name} master {master}").Index };
        if (updated == link) return;
        links[links.IndexOf(link)] = updated;
        Emit(new LinkUpdated(updated));
    }

    private KernelLink Find(string name, string operation) =>
        links.Find(l => l.Name == name) ?? throw new KernelException(19, operation, $"link \"{name}\": No such device");

    private static bool Same(KernelAddress a, KernelAddress b) =>
        a.LinkIndex == b.LinkIndex && a.Prefix.Address.Equals(b.Prefix.Address) && a.Prefix.PrefixLength == b.Prefix.PrefixLength;

    private static bool SameRoute(KernelRoute a, KernelRoute b) =>
        a.Family == b.Family && a.Table == b.Table && a.Metric == b.Metric && a.Destination.Network == b.Destination.Network;

    private static string Mac(int index) => $"02:00:00:00:00:{index:x2}";

    public void Dispose() { }
}
