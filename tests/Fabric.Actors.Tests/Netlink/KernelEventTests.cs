using System.Collections.Concurrent;
using System.Net;
using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;

namespace Fabric.Actors.Tests.Netlink;

[Trait("Category", "Kernel")]
public class KernelEventTests
{
    [Fact]
    public async Task Events_arrive_in_kernel_order()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        var k = ns.Kernel;
        var veth0 = ns.IndexOf("veth0");
        var labels = new ConcurrentQueue<string>();
        var finished = new TaskCompletionSource();
        var address = new KernelAddress { LinkIndex = veth0, Prefix = IpPrefix.Parse("192.0.2.5/24"), Protocol = FabricMarks.Protocol };
        var route = new KernelRoute
        {
            Family = System.Net.Sockets.AddressFamily.InterNetwork, Destination = IpPrefix.Parse("198.18.0.0/16"),
            Gateway = IPAddress.Parse("192.0.2.1"), OutLinkIndex = veth0, Protocol = FabricMarks.Protocol,
        };
        string? lastLink = null;
        using var subscription = k.Subscribe(e =>
        {
            var label = e switch
            {
                LinkUpdated { Link.Name: "veth0" } l => l.Link.AdminUp ? "veth0 up" : "veth0 down",
                AddressAdded a when a.Address.Prefix == address.Prefix => "+address",
                AddressDeleted a when a.Address.Prefix == address.Prefix => "-address",
                RouteAdded r when r.Route.Destination == route.Destination => "+route",
                RouteDeleted r when r.Route.Destination == route.Destination => "-route",
                _ => null,
            };
            if (label is null) return;
            // A link change can be announced more than once (admin state, then carrier, possibly after later
            // events): keep only the link's transitions.
            if (label.StartsWith("veth0"))
            {
                if (label == lastLink) return;
                lastLink = label;
            }
            labels.Enqueue(label);
            if (label == "-address") finished.TrySetResult();
        });

        await k.SetLinkAsync(new LinkRequest { Name = "veth0", Up = false });
        await k.SetLinkAsync(new LinkRequest { Name = "veth0", Up = true });
        await k.AddAddressAsync(address);
        await k.ReplaceRouteAsync(route);
        await k.DeleteRouteAsync(route);
        await k.DeleteAddressAsync(address);
        await finished.Task.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["veth0 down", "veth0 up", "+address", "+route", "-route", "-address"], labels.ToArray());
    }

    [Fact]
    public async Task Overrun_event_socket_reports_resync_and_keeps_reading()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        var k = ns.Kernel;
        k.EventReceiveBuffer = 4096; // the kernel doubles it; still only a handful of notifications
        var veth0 = ns.IndexOf("veth0");
        using var release = new ManualResetEventSlim();
        var resync = new TaskCompletionSource<KernelResyncNeeded>();
        var afterResync = new TaskCompletionSource();
        using var subscription = k.Subscribe(e =>
        {
            release.Wait(); // a subscriber that stalls while the kernel keeps announcing
            if (e is KernelResyncNeeded r) resync.TrySetResult(r);
            else if (resync.Task.IsCompleted && e is AddressAdded { Address.Prefix.Address: var a } && a.ToString().StartsWith("198.19.0."))
                afterResync.TrySetResult();
        });

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => k.AddAddressAsync(new KernelAddress
            { LinkIndex = veth0, Prefix = IpPrefix.Parse($"198.18.{i}.1/32"), Protocol = FabricMarks.Protocol })));
        release.Set();

        var reported = await resync.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("ENOBUFS", reported.Reason);
        // While the socket is still congested the kernel drops further events without a second ENOBUFS (the one
        // resync covers them: a dump taken after it sees them). Once the backlog drains, events flow again.
        for (var i = 1; i <= 20 && !afterResync.Task.IsCompleted; i++)
        {
            await k.AddAddressAsync(new KernelAddress { LinkIndex = veth0, Prefix = IpPrefix.Parse($"198.19.0.{i}/32") });
            await Task.WhenAny(afterResync.Task, Task.Delay(250));
        }
        Assert.True(afterResync.Task.IsCompleted, "no event was delivered after the resync");
        Assert.Contains(await k.GetAddressesAsync(), a => a.Prefix == IpPrefix.Parse("198.19.0.1/32"));
    }
}
