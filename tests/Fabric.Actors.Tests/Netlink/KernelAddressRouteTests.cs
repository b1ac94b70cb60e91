using System.Net;
using System.Net.Sockets;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Tests.Netlink;

[Trait("Category", "Kernel")]
public class KernelAddressRouteTests
{
    private static KernelAddress Address(int link, string cidr, uint flags = 0) =>
        new() { LinkIndex = link, Prefix = IpPrefix.Parse(cidr), Protocol = FabricMarks.Protocol, Flags = flags };

    private static KernelRoute Route(string destination, string? via, int oif, uint table = 254, uint metric = 0,
        string? src = null, uint mtu = 0) => new()
    {
        Family = IpPrefix.Parse(destination).Family,
        Destination = IpPrefix.Parse(destination),
        Gateway = via is null ? null : IPAddress.Parse(via),
        Source = src is null ? null : IPAddress.Parse(src),
        OutLinkIndex = oif, Table = table, Metric = metric, Mtu = mtu, Protocol = FabricMarks.Protocol,
    };

    [Fact]
    public async Task Addresses_are_added_replaced_and_removed_with_fabric_protocol()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        var k = ns.Kernel;
        var veth0 = ns.IndexOf("veth0");
        var v4 = Address(veth0, "192.0.2.5/24");
        var v6 = Address(veth0, "2001:db8::5/64", flags: 0x02);
        await k.AddAddressAsync(v4);
        await k.AddAddressAsync(v6);
        await k.AddAddressAsync(v4); // replace: no EEXIST

        var ours = (await k.GetAddressesAsync()).Where(a => a.Protocol == FabricMarks.Protocol).ToList();
        Assert.Equal(2, ours.Count);
        Assert.Contains(ours, a => a.Prefix == v4.Prefix && a.LinkIndex == veth0 && a.Label == "veth0");
        Assert.Contains(ours, a => a.Prefix == v6.Prefix && (a.Flags & 0x02) != 0);
        Assert.Contains("192.0.2.5/24", ns.Ip("-4 addr show dev veth0"));

        await k.DeleteAddressAsync(v4);
        await k.DeleteAddressAsync(v6);
        Assert.DoesNotContain(await k.GetAddressesAsync(), a => a.Protocol == FabricMarks.Protocol);
    }

    [Fact]
    public async Task Routes_with_tables_metrics_source_and_mtu_round_trip_and_replace()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        var k = ns.Kernel;
        var veth0 = ns.IndexOf("veth0");
        await k.AddAddressAsync(Address(veth0, "192.0.2.5/24"));
        await k.AddAddressAsync(Address(veth0, "2001:db8::5/64", flags: 0x02));

        var routes = new[]
        {
            Route("0.0.0.0/0", "192.0.2.1", veth0, metric: 100),
            Route("198.18.0.0/16", "192.0.2.1", veth0, table: 100, metric: 50, src: "192.0.2.5", mtu: 1400),
            Route("198.19.0.0/16", "192.0.2.1", veth0, table: 1000),
            Route("::/0", "2001:db8::1", veth0, metric: 1024),
            Route("198.51.100.0/24", null, veth0) with { Scope = 253 },
        };
        foreach (var route in routes) await k.ReplaceRouteAsync(route);

        var ours = (await k.GetRoutesAsync()).Where(r => r.Protocol == FabricMarks.Protocol).ToList();
        foreach (var wanted in routes)
            Assert.Contains(ours, r => r.Destination == wanted.Destination && Equals(r.Gateway, wanted.Gateway)
                && r.Table == wanted.Table && r.Metric == wanted.Metric && r.OutLinkIndex == veth0 && r.Mtu == wanted.Mtu
                && Equals(r.Source, wanted.Source));
        Assert.Contains("198.19.0.0/16 via 192.0.2.1", ns.Ip("route show table 1000"));

        await k.ReplaceRouteAsync(routes[1] with { Gateway = IPAddress.Parse("192.0.2.2") });
        var table100 = (await k.GetRoutesAsync()).Where(r => r.Table == 100 && r.Destination == routes[1].Destination).ToList();
        Assert.Equal(IPAddress.Parse("192.0.2.2"), Assert.Single(table100).Gateway);

        foreach (var route in routes) await k.DeleteRouteAsync(route with { Gateway = null });
        Assert.DoesNotContain(await k.GetRoutesAsync(), r => r.Protocol == FabricMarks.Protocol);
    }

    [Fact]
    public async Task Kernel_refusals_name_operation_object_and_errno()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        var k = ns.Kernel;
        var veth0 = ns.IndexOf("veth0");

        var noDevice = await Assert.ThrowsAsync<KernelException>(() => k.AddAddressAsync(Address(999, "192.0.2.5/24")));
        Assert.Equal(19, noDevice.Errno);
        Assert.StartsWith("add address 192.0.2.5/24 on link #999: No such device", noDevice.Message);
        Assert.EndsWith("(ENODEV)", noDevice.Message);

        var badPrefix = await Assert.ThrowsAsync<KernelException>(() =>
            k.AddAddressAsync(new KernelAddress { LinkIndex = veth0, Prefix = new IpPrefix(IPAddress.Parse("192.0.2.5"), 40) }));
        Assert.Equal(22, badPrefix.Errno);
        Assert.StartsWith("add address 192.0.2.5/40 on veth0: Invalid argument", badPrefix.Message);

        var unreachable = await Assert.ThrowsAsync<KernelException>(() => k.ReplaceRouteAsync(Route("198.18.9.0/24", "203.0.113.1", veth0)));
        Assert.Equal(101, unreachable.Errno);
        Assert.StartsWith("replace route 198.18.9.0/24 via 203.0.113.1 dev veth0 table 254: Network is unreachable", unreachable.Message);

        var missing = await Assert.ThrowsAsync<KernelException>(() => k.DeleteRouteAsync(Route("198.18.8.0/24", null, veth0)));
        Assert.Equal(3, missing.Errno);
        Assert.StartsWith("delete route 198.18.8.0/24 dev veth0 table 254: No such process", missing.Message);

        var notThere = await Assert.ThrowsAsync<KernelException>(() => k.DeleteAddressAsync(Address(veth0, "192.0.2.99/24")));
        Assert.Equal(99, notThere.Errno);
        Assert.StartsWith("delete address 192.0.2.99/24 from veth0: Cannot assign requested address", notThere.Message);
    }

    [Fact]
    public async Task Thousand_concurrent_addresses_all_arrive()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        var k = ns.Kernel;
        var veth0 = ns.IndexOf("veth0");
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<IpPrefix, bool>();
        var allSeen = new TaskCompletionSource();
        using var subscription = k.Subscribe(e =>
        {
            if (e is AddressAdded { Address.Protocol: FabricMarks.Protocol } added && seen.TryAdd(added.Address.Prefix, true) && seen.Count == 1000)
                allSeen.TrySetResult();
        });

        var addresses = Enumerable.Range(0, 1000)
            .Select(i => Address(veth0, $"198.18.{i / 250}.{i % 250 + 1}/32")).ToList();
        await Task.WhenAll(addresses.Select(a => k.AddAddressAsync(a)));

        var dumped = (await k.GetAddressesAsync()).Where(a => a.Protocol == FabricMarks.Protocol && a.Family == AddressFamily.InterNetwork);
        Assert.Equal(1000, dumped.Count());
        await allSeen.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Changes sent together share one ACK (the last one's); the kernel still answers each failed one with its
    /// own error, first, so each caller learns its own outcome, including when the last of the burst fails.</summary>
    [Fact]
    public async Task In_a_burst_each_failed_change_gets_its_error_and_the_others_are_confirmed()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        var k = ns.Kernel;
        var veth0 = ns.IndexOf("veth0");
        static bool Fails(int i) => i % 7 == 0 || i == 299;
        var attempts = Enumerable.Range(0, 300).Select(async i =>
        {
            var address = Address(Fails(i) ? 999 : veth0, $"198.18.{i / 250}.{i % 250 + 1}/32");
            try
            {
                await k.AddAddressAsync(address);
                return (i, Errno: 0);
            }
            catch (KernelException e)
            {
                return (i, e.Errno);
            }
        }).ToList();
        var outcomes = await Task.WhenAll(attempts).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(outcomes, o => Assert.Equal(Fails(o.i) ? 19 : 0, o.Errno));
        var present = (await k.GetAddressesAsync()).Where(a => a.Protocol == FabricMarks.Protocol).Select(a => a.Prefix.ToString()).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 300).Where(i => !Fails(i)).Select(i => $"198.18.{i / 250}.{i % 250 + 1}/32").ToHashSet(), present);
    }
}
