using System.Text;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>The real kernel behind <see cref="IKernel"/>: rtnetlink for links, addresses and routes, generic
/// netlink for WireGuard, libc for the hostname. Requests are pipelined over one socket; each subscription
/// reads its own multicast socket.</summary>
public sealed class NetlinkKernel : IKernel
{
    private readonly string? _netns;
    private readonly NetlinkConnection _route;

    private NetlinkKernel(string? netns, NetlinkConnection route)
    {
        _netns = netns;
        _route = route;
    }

    /// <summary>Opens the adapter for the caller's network namespace, or for the one at <paramref name="netnsPath"/>
    /// (e.g. /var/run/netns/NAME): its sockets are created there and stay bound to it.</summary>
    public static NetlinkKernel Open(string? netnsPath = null) =>
        new(netnsPath, new NetlinkConnection(OpenSocket(netnsPath, Native.NetlinkRoute, 0)));

    /// <summary>Receive buffer of each subscription's socket; tests shrink it to provoke overruns.</summary>
    internal int EventReceiveBuffer { get; set; } = NetlinkSocketFactory.DefaultReceiveBuffer;

    private static System.Net.Sockets.Socket OpenSocket(string? netns, int protocol, uint groups, int buffer = NetlinkSocketFactory.DefaultReceiveBuffer) =>
        NetworkNamespace.Run(netns, () => NetlinkSocketFactory.Open(protocol, groups, buffer));

    public async Task<IReadOnlyList<KernelLink>> GetLinksAsync(CancellationToken ct = default) =>
        await Do("list links", () => _route.DumpAsync(LinkEncoder.Dump, DecodeLink, ct)).ConfigureAwait(false);

    public async Task<IReadOnlyList<KernelAddress>> GetAddressesAsync(CancellationToken ct = default) =>
        await Do("list addresses", () => _route.DumpAsync(AddressCodec.Dump, DecodeAddress, ct)).ConfigureAwait(false);

    public async Task<IReadOnlyList<KernelRoute>> GetRoutesAsync(CancellationToken ct = default) =>
        await Do("list routes", () => _route.DumpAsync(RouteCodec.Dump, DecodeRoute, ct)).ConfigureAwait(false);

    private static KernelLink? DecodeLink(in NetlinkMessage m) => m.Type == Rtm.NewLink ? LinkDecoder.Decode(m.Payload) : null;
    private static KernelAddress? DecodeAddress(in NetlinkMessage m) => m.Type == Rtm.NewAddr ? AddressCodec.Decode(m.Payload) : null;
    private static KernelRoute? DecodeRoute(in NetlinkMessage m) => m.Type == Rtm.NewRoute ? RouteCodec.Decode(m.Payload) : null;

    public IDisposable Subscribe(Action<KernelEvent> onEvent) => SubscribeStream(onEvent);

    internal NetlinkEventStream SubscribeStream(Action<KernelEvent> onEvent) =>
        new(OpenSocket(_netns, Native.NetlinkRoute, RtnlGroups.All, EventReceiveBuffer), onEvent);

    public async Task CreateLinkAsync(LinkRequest request, CancellationToken ct = default)
    {
        var operation = $"create {request.Kind} link {request.Name}";
        var indexes = new LinkIndexes(
            Master: await MasterIndexAsync(request, operation, ct).ConfigureAwait(false),
            Parent: request.Vlan is { } vlan ? await IndexOfAsync(vlan.Parent, operation, ct).ConfigureAwait(false) : 0,
            BondPrimary: request.Bond?.Primary is { } primary ? await IndexOfAsync(primary, operation, ct).ConfigureAwait(false) : 0);
        await Do(operation, () => _route.RequestAsync(seq => LinkEncoder.Create(seq, request, indexes), ct)).ConfigureAwait(false);
        if (request.Wireguard is { } wireguard)
            await ConfigureWireguardAsync(request.Name, wireguard, ct).ConfigureAwait(false);
    }

    public async Task SetLinkAsync(LinkRequest request, CancellationToken ct = default)
    {
        var operation = $"set link {request.Name}{Describe(request)}";
        var indexes = new LinkIndexes(
            Index: await IndexOfAsync(request.Name, operation, ct).ConfigureAwait(false),
            Master: await MasterIndexAsync(request, operation, ct).ConfigureAwait(false),
            BondPrimary: request.Bond?.Primary is { } primary ? await IndexOfAsync(primary, operation, ct).ConfigureAwait(false) : 0);
        await Do(operation, () => _route.RequestAsync(seq => LinkEncoder.Set(seq, request, indexes), ct)).ConfigureAwait(false);
        if (request.Wireguard is { } wireguard)
            await ConfigureWireguardAsync(request.Name, wireguard, ct).ConfigureAwait(false);
    }

    public async Task DeleteLinkAsync(string name, CancellationToken ct = default)
    {
        var operation = $"delete link {name}";
        var index = await IndexOfAsync(name, operation, ct).ConfigureAwait(false);
        await Do(operation, () => _route.RequestAsync(seq => LinkEncoder.Delete(seq, index), ct)).ConfigureAwait(false);
    }

    public async Task AddAddressAsync(KernelAddress address, CancellationToken ct = default)
    {
        try { await _route.RequestAsync(seq => AddressCodec.Replace(seq, address), ct).ConfigureAwait(false); }
        catch (NetlinkError e)
        {
            throw e.For($"add address {address.Prefix} on {await NameOfAsync(address.LinkIndex).ConfigureAwait(false)}");
        }
    }

    public async Task DeleteAddressAsync(KernelAddress address, CancellationToken ct = default)
    {
        try { await _route.RequestAsync(seq => AddressCodec.Delete(seq, address), ct).ConfigureAwait(false); }
        catch (NetlinkError e)
        {
            throw e.For($"delete address {address.Prefix} from {await NameOfAsync(address.LinkIndex).ConfigureAwait(false)}");
        }
    }

    public async Task ReplaceRouteAsync(KernelRoute route, CancellationToken ct = default)
    {
        try { await _route.RequestAsync(seq => RouteCodec.Replace(seq, route), ct).ConfigureAwait(false); }
        catch (NetlinkError e) { throw e.For($"replace route {await DescribeAsync(route).ConfigureAwait(false)}"); }
    }

    public async Task DeleteRouteAsync(KernelRoute route, CancellationToken ct = default)
    {
        try { await _route.RequestAsync(seq => RouteCodec.Delete(seq, route), ct).ConfigureAwait(false); }
        catch (NetlinkError e) { throw e.For($"delete route {await DescribeAsync(route).ConfigureAwait(false)}"); }
    }

    public Task SetHostnameAsync(string hostname, CancellationToken ct = default) => Hostname.SetAsync(hostname);

    public Task<string> GetHostnameAsync(CancellationToken ct = default) => Hostname.GetAsync();

    /// <summary>Pushes keys, port and peers over generic netlink. The "wireguard" family exists only once the module
    /// is loaded, so a missing module surfaces here as a KernelException naming it.</summary>
    public async Task ConfigureWireguardAsync(string device, WireguardOptions options, CancellationToken ct = default)
    {
        var operation = $"configure wireguard {device}";
        using var genl = new NetlinkConnection(OpenSocket(_netns, Native.NetlinkGeneric, 0));
        GenericNetlinkCodec.FamilyId? family;
        try { family = await genl.QueryAsync(seq => GenericNetlinkCodec.GetFamily(seq, "wireguard"), GenericNetlinkCodec.DecodeFamily, ct).ConfigureAwait(false); }
        catch (NetlinkError e) when (e.Errno == 2)
        {
            throw new KernelException(e.Errno, operation,
                "generic netlink family \"wireguard\" not found: the wireguard kernel module is not loaded or not built");
        }
        catch (NetlinkError e) { throw e.For($"{operation}: resolve generic netlink family \"wireguard\""); }
        if (family is null) throw new KernelException(2, operation, "the kernel did not return the \"wireguard\" family id");
        await Do(operation, () => genl.RequestAsync(seq => WireguardEncoder.SetDevice(seq, family.Value, device, options), ct)).ConfigureAwait(false);
    }

    private async Task<int?> MasterIndexAsync(LinkRequest request, string operation, CancellationToken ct) => request.Master switch
    {
        null => null,
        "" => 0,
        var master => await IndexOfAsync(master, operation, ct).ConfigureAwait(false),
    };

    /// <summary>Resolves a name with RTM_GETLINK by IFLA_IFNAME, as iproute2 does; a missing link fails the
    /// whole operation with ENODEV naming the link that is missing.</summary>
    private async Task<int> IndexOfAsync(string name, string operation, CancellationToken ct)
    {
        try
        {
            var link = await _route.QueryAsync(seq => LinkEncoder.GetByName(seq, name), DecodeLink, ct).ConfigureAwait(false);
            return link?.Index ?? throw new KernelException(19, operation, $"link {name} not found");
        }
        catch (NetlinkError e) { throw new KernelException(e.Errno, operation, $"link {name}: {e.Message}"); }
    }

    /// <summary>For error messages only: the link's name, or its index when the link is gone.</summary>
    private async Task<string> NameOfAsync(int index)
    {
        if (index == 0) return "no link";
        try
        {
            var link = await _route.QueryAsync(seq => LinkEncoder.GetByIndex(seq, index), DecodeLink, CancellationToken.None).ConfigureAwait(false);
            return link is null ? $"link #{index}" : link.Name;
        }
        catch (Exception e) when (e is NetlinkError or ObjectDisposedException) { return $"link #{index}"; }
    }

    private async Task<string> DescribeAsync(KernelRoute r)
    {
        var text = new StringBuilder(r.Destination.Network.ToString());
        if (r.Gateway is { } gateway) text.Append(" via ").Append(gateway);
        if (r.OutLinkIndex != 0) text.Append(" dev ").Append(await NameOfAsync(r.OutLinkIndex).ConfigureAwait(false));
        if (r.Source is { } source) text.Append(" src ").Append(source);
        text.Append(" table ").Append(r.Table);
        if (r.Metric != 0) text.Append(" metric ").Append(r.Metric);
        return text.ToString();
    }

    private static string Describe(LinkRequest r)
    {
        var parts = new List<string>();
        if (r.Mtu is { } mtu) parts.Add($"mtu {mtu}");
        if (r.Up is { } up) parts.Add(up ? "up" : "down");
        if (r.Master is { } master) parts.Add(master.Length == 0 ? "nomaster" : $"master {master}");
        return parts.Count == 0 ? "" : " " + string.Join(' ', parts);
    }

    private static async Task Do(string operation, Func<Task> action)
    {
        try { await action().ConfigureAwait(false); }
        catch (NetlinkError e) { throw e.For(operation); }
    }

    private static async Task<T> Do<T>(string operation, Func<Task<T>> action)
    {
        try { return await action().ConfigureAwait(false); }
        catch (NetlinkError e) { throw e.For(operation); }
    }

    public void Dispose() => _route.Dispose();
}
