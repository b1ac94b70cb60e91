using Akka.TestKit.Xunit2;
using Fabric.Actors.Controllers;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Actors.Tests.Netlink;

namespace Fabric.Actors.Tests.Controllers;

/// <summary>Status follows the real kernel's events, including the changes the kernel makes without announcing them.</summary>
[Trait("Category", "Kernel")]
public sealed class KernelStatusRealKernelTests : TestKit
{
    [Fact]
    public async Task Status_follows_events_and_routes_dropped_silently_with_their_address_disappear()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        ns.Ip("link set veth0 up");
        ns.Ip("link set veth1 up");
        ns.Ip("addr add 192.0.2.5/24 dev veth0");
        ns.Ip("route add 198.51.100.0/24 via 192.0.2.1 dev veth0 metric 7");
        var store = Sys.ActorOf(ResourceStore.Props());
        Sys.ActorOf(KernelStatusController.Props(ns.Kernel, store));
        var reader = new StoreReader(store);

        var routes = await reader.EventuallyAsync(() => reader.SpecsAsync<RouteStatus>(ResourceTypes.RouteStatus),
            r => r.Any(x => x.Destination == "198.51.100.0/24"), "the route in status");
        Assert.Equal("veth0", routes.Single(x => x.Destination == "198.51.100.0/24").OutLinkName);

        ns.Ip("addr add 203.0.113.9/24 dev veth1");
        await reader.EventuallyAsync(() => reader.SpecsAsync<AddressStatus>(ResourceTypes.AddressStatus),
            a => a.Any(x => x.Address == "203.0.113.9/24" && x.LinkName == "veth1"), "a new address");

        // Deleting the address takes the route with it; the kernel sends no RTM_DELROUTE for that.
        ns.Ip("addr del 192.0.2.5/24 dev veth0");
        await reader.EventuallyAsync(() => reader.SpecsAsync<RouteStatus>(ResourceTypes.RouteStatus),
            r => r.All(x => x.Destination != "198.51.100.0/24"), "the route gone from status");
        var addresses = await reader.SpecsAsync<AddressStatus>(ResourceTypes.AddressStatus);
        Assert.DoesNotContain(addresses, a => a.Address == "192.0.2.5/24");
    }
}
