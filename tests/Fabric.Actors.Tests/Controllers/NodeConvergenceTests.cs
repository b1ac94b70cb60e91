using System.Net;
using Akka.TestKit.Xunit2;
using Fabric.Actors.Config;
using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;
using static Fabric.Actors.Tests.Controllers.NodeHarness;

namespace Fabric.Actors.Tests.Controllers;

public sealed class NodeConvergenceTests : TestKit
{
    private static NetworkConfig BridgeConfig(int mtu = 1500) => new()
    {
        Hostname = "cp-1.dc1.example.com",
        Nameservers = [IPAddress.Parse("192.0.2.53"), IPAddress.Parse("2001:db8::53")],
        ExtraHostEntries = [new HostEntry(IPAddress.Parse("192.0.2.10"), ["k8s-api.dc1.example.com"])],
        Links =
        [
            new LinkDefinition { Name = "br0", Kind = LinkKind.Bridge, Mtu = mtu, Bridge = new BridgeDefinition { Interfaces = ["eth0"] } },
            new LinkDefinition { Name = "eth0", Master = "br0" },
        ],
        Addresses = [Address("br0", "192.0.2.11/24"), Address("br0", "2001:db8::11/64")],
        Routes = [Route("br0", null, "192.0.2.1", 1024), Route("br0", "198.51.100.0/24", "192.0.2.254", 100)],
    };

    [Fact]
    public async Task A_config_converges_into_the_kernel_and_into_status()
    {
        using var node = new NodeHarness(Sys, "eth0");
        node.Apply(BridgeConfig());

        await node.EventuallyAddressesAsync(a => a.Count(x => x.Protocol == FabricMarks.Protocol) == 2, "both addresses");
        var routes = await node.EventuallyRoutesAsync(r => r.Count(x => x.Protocol == FabricMarks.Protocol) == 2, "both routes");
        Assert.Contains(routes, r => r.Destination.PrefixLength == 0 && r.Gateway!.Equals(IPAddress.Parse("192.0.2.1")) && r.Metric == 1024);
        Assert.Contains(routes, r => r.Destination.ToString() == "198.51.100.0/24" && r.Metric == 100);

        var links = await node.Kernel.GetLinksAsync();
        var br0 = Assert.Single(links, l => l.Name == "br0");
        Assert.True(br0.AdminUp);
        Assert.Equal(br0.Index, links.Single(l => l.Name == "eth0").MasterIndex);
        await node.Reader.EventuallyAsync(() => node.Kernel.GetHostnameAsync(), h => h == "cp-1", "hostname");

        var statuses = await node.Reader.EventuallyAsync(() => node.Reader.SpecsAsync<AddressStatus>(ResourceTypes.AddressStatus),
            s => s.Any(a => a.Address == "2001:db8::11/64" && a.LinkName == "br0"), "AddressStatus for br0");
        Assert.Contains(statuses, a => a.Address == "192.0.2.11/24");

        var resolv = Path.Combine(node.Root, "root/etc/resolv.conf");
        await node.Reader.EventuallyAsync(() => Task.FromResult(File.Exists(resolv) ? File.ReadAllText(resolv) : ""),
            t => t.Contains("nameserver 2001:db8::53"), "resolv.conf");
        Assert.Contains("search dc1.example.com", File.ReadAllText(resolv));
        var hostsPath = Path.Combine(node.Root, "root/etc/hosts");
        var hosts = await node.Reader.EventuallyAsync(() => Task.FromResult(File.Exists(hostsPath) ? File.ReadAllText(hostsPath) : ""),
            t => t.Contains("cp-1.dc1.example.com cp-1"), "hosts names the node");
        Assert.Contains("192.0.2.10\tk8s-api.dc1.example.com", hosts);

        var applied = await node.Reader.EventuallyAsync(() => node.Reader.SpecsAsync<ApplyStatus>(ResourceTypes.ApplyStatus),
            s => s.Count(a => a.State == "applied" && a.SpecType == "RouteSpec") == 2, "route apply statuses");
        Assert.DoesNotContain(applied, a => a.State == "failed");
    }

    [Fact]
    public async Task Editing_the_config_converges_again_and_removes_only_what_Fabric_added()
    {
        using var node = new NodeHarness(Sys, "eth0", "eth1");
        node.Apply(BridgeConfig());
        await node.EventuallyRoutesAsync(r => r.Count(x => x.Protocol == FabricMarks.Protocol) == 2, "routes");

        // Somebody adds an address and a route by hand, on Fabric's own link.
        await node.Kernel.ByHand(k =>
        {
            var br0 = k.GetLinksAsync().Result.Single(l => l.Name == "br0").Index;
            k.AddAddressNow(new KernelAddress { LinkIndex = br0, Prefix = IpPrefix.Parse("203.0.113.7/32"), Protocol = 0 });
            k.AddRouteNow(new KernelRoute
            {
                Family = System.Net.Sockets.AddressFamily.InterNetwork, Destination = IpPrefix.Parse("203.0.113.0/24"),
                OutLinkIndex = br0, Protocol = 4, Scope = 253,
            });
        });

        // New config: the bridge loses its static route and v6 address, gains MTU 9000 and a new address on eth1.
        node.Apply(BridgeConfig(mtu: 9000) with
        {
            Addresses = [Address("br0", "192.0.2.11/24"), Address("eth1", "198.51.100.5/24")],
            Routes = [Route("br0", null, "192.0.2.1", 1024)],
        });

        var addresses = await node.EventuallyAddressesAsync(
            a => a.Any(x => x.Prefix.ToString() == "198.51.100.5/24") && !a.Any(x => x.Prefix.ToString() == "2001:db8::11/64"), "new address set");
        Assert.Contains(addresses, a => a.Prefix.ToString() == "203.0.113.7/32");
        var routes = await node.EventuallyRoutesAsync(r => r.Count(x => x.Protocol == FabricMarks.Protocol) == 1, "one fabric route");
        Assert.Contains(routes, r => r.Destination.ToString() == "203.0.113.0/24" && r.Protocol == 4);
        await node.Reader.EventuallyAsync(() => node.Kernel.GetLinksAsync(), l => l.Single(x => x.Name == "br0").Mtu == 9000, "MTU 9000");

        // Removing the bridge's config deletes the bridge Fabric made and everything Fabric put on it, nothing else.
        node.Apply(new NetworkConfig { Addresses = [Address("eth1", "198.51.100.5/24")] });
        var links = await node.Reader.EventuallyAsync(() => node.Kernel.GetLinksAsync(), l => l.All(x => x.Name != "br0"), "bridge removed");
        Assert.Contains(links, l => l.Name == "eth0");
        await node.EventuallyRoutesAsync(r => r.All(x => x.Protocol != FabricMarks.Protocol), "fabric routes gone");
        var left = await node.KernelAddressesAsync();
        Assert.Equal(["198.51.100.5/24"], left.Where(a => a.Protocol == FabricMarks.Protocol).Select(a => a.Prefix.ToString()));
    }

    [Fact]
    public async Task An_address_deleted_by_hand_comes_back_and_a_route_added_by_hand_stays()
    {
        using var node = new NodeHarness(Sys, "eth0");
        node.Apply(new NetworkConfig { Addresses = [Address("eth0", "192.0.2.21/24")] });
        await node.EventuallyAddressesAsync(a => a.Any(x => x.Prefix.ToString() == "192.0.2.21/24"), "address");
        var eth0 = (await node.Kernel.GetLinksAsync()).Single(l => l.Name == "eth0").Index;
        await node.Kernel.ByHand(k =>
        {
            k.RemoveAddressNow(a => a.Prefix.ToString() == "192.0.2.21/24");
            k.AddRouteNow(new KernelRoute
            {
                Family = System.Net.Sockets.AddressFamily.InterNetwork, Destination = IpPrefix.Parse("198.18.0.0/15"),
                OutLinkIndex = eth0, Protocol = 4, Scope = 253,
            });
        });
        await node.EventuallyAddressesAsync(a => a.Any(x => x.Prefix.ToString() == "192.0.2.21/24"), "address back");
        node.Apply(new NetworkConfig { Addresses = [Address("eth0", "192.0.2.22/24")] });
        await node.EventuallyAddressesAsync(a => a.Any(x => x.Prefix.ToString() == "192.0.2.22/24")
                                                  && a.All(x => x.Prefix.ToString() != "192.0.2.21/24"), "address moved");
        Assert.Contains(await node.KernelRoutesAsync(), r => r.Destination.ToString() == "198.18.0.0/15");
    }

    [Fact]
    public async Task Kernel_errors_become_clear_apply_statuses_not_crashes()
    {
        using var node = new NodeHarness(Sys, "eth0");
        node.Apply(new NetworkConfig
        {
            Addresses = [Address("eth0", "192.0.2.31/24")],
            Routes = [Route("eth0", "198.51.100.0/24", "203.0.113.1")],
        });
        var statuses = await node.Reader.EventuallyAsync(() => node.Reader.SpecsAsync<ApplyStatus>(ResourceTypes.ApplyStatus),
            s => s.Any(a => a.SpecType == "RouteSpec" && a.State == "failed"), "a failed route");
        var failed = statuses.Single(a => a.SpecType == "RouteSpec");
        Assert.Contains("via 203.0.113.1", failed.Message);
        Assert.Contains("ENETUNREACH", failed.Message);
        Assert.Contains(statuses, a => a.SpecType == "AddressSpec" && a.State == "applied");
    }

    [Fact]
    public async Task A_refused_request_is_tried_again_without_any_event_to_prompt_it()
    {
        using var node = new NodeHarness(Sys, "eth0");
        var refusals = 0;
        node.Kernel.Fault = op => op.StartsWith("add address") && Interlocked.Increment(ref refusals) == 1
            ? new KernelException(16, op, "Device or resource busy") : null;
        node.Apply(new NetworkConfig { Addresses = [Address("eth0", "192.0.2.51/24")] });
        await node.Reader.EventuallyAsync(() => node.Reader.SpecsAsync<ApplyStatus>(ResourceTypes.ApplyStatus),
            s => s.Any(a => a.SpecType == "AddressSpec" && a.State == "failed" && a.Message.Contains("EBUSY")), "the refusal reported");
        await node.Reader.EventuallyAsync(node.KernelAddressesAsync, a => a.Any(x => x.Prefix.ToString() == "192.0.2.51/24"),
            "the address after the retry", TimeSpan.FromSeconds(15));
    }

    /// <summary>Statuses trail the kernel: reconciles prompted meanwhile must not delete again what is already being
    /// deleted (a thousand "not found" errors in the bench's removal, all competing with the next apply).</summary>
    [Fact]
    public async Task Each_address_and_route_no_longer_wanted_is_deleted_once()
    {
        using var node = new NodeHarness(Sys, "eth0");
        var deletes = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        node.Kernel.Fault = op =>
        {
            if (op.StartsWith("delete ")) deletes.AddOrUpdate(op, 1, (_, n) => n + 1);
            return null;
        };
        var onLink = Address("eth0", "192.0.2.5/24");
        var hosts = Enumerable.Range(1, 150).Select(i => Address("eth0", $"198.18.0.{i}/32")).ToList();
        var routes = Enumerable.Range(0, 150).Select(i => Route("eth0", $"198.19.{i}.0/24", "192.0.2.1")).ToList();
        node.Apply(new NetworkConfig { Addresses = [onLink, .. hosts], Routes = routes });
        await node.EventuallyRoutesAsync(r => r.Count(x => x.Protocol == FabricMarks.Protocol) == 150, "all routes");
        await node.EventuallyAddressesAsync(a => a.Count(x => x.Protocol == FabricMarks.Protocol) == 151, "all addresses");

        node.Apply(new NetworkConfig { Addresses = [onLink] });
        await node.EventuallyRoutesAsync(r => r.All(x => x.Protocol != FabricMarks.Protocol), "routes gone");
        await node.EventuallyAddressesAsync(a => a.Count(x => x.Protocol == FabricMarks.Protocol) == 1, "host addresses gone");
        // Statuses settle behind the kernel; once a later change has gone all the way through, so have they.
        await node.Reader.EventuallyAsync(() => node.Reader.SpecsAsync<AddressStatus>(ResourceTypes.AddressStatus),
            s => s.Count(a => a.Address.StartsWith("198.18.")) == 0, "host address statuses gone");
        node.Apply(new NetworkConfig { Addresses = [onLink, Address("eth0", "198.51.100.9/32")] });
        await node.Reader.EventuallyAsync(() => node.Reader.SpecsAsync<AddressStatus>(ResourceTypes.AddressStatus),
            s => s.Any(a => a.Address == "198.51.100.9/32"), "a later address's status");

        Assert.Equal(300, deletes.Count);
        Assert.All(deletes, d => Assert.Equal(1, d.Value));
    }

    [Fact]
    public async Task Specs_waiting_for_a_missing_link_say_so()
    {
        using var node = new NodeHarness(Sys, "eth0");
        node.Apply(new NetworkConfig { Addresses = [Address("eth9", "192.0.2.41/24")] });
        var statuses = await node.Reader.EventuallyAsync(() => node.Reader.SpecsAsync<ApplyStatus>(ResourceTypes.ApplyStatus),
            s => s.Any(a => a.SpecType == "AddressSpec"), "address status");
        var pending = statuses.Single(a => a.SpecType == "AddressSpec");
        Assert.Equal("pending", pending.State);
        Assert.Equal("waiting for link eth9 to appear", pending.Message);
    }
}
