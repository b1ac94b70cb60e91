using Fabric.Actors.Kernel;

namespace Fabric.Actors.Tests.Netlink;

[Trait("Category", "Kernel")]
public class KernelLinkTests
{
    [Fact]
    public async Task Opened_in_a_namespace_it_sees_only_that_namespace()
    {
        using var ns = new Netns();
        var links = await ns.Kernel.GetLinksAsync();
        var lo = Assert.Single(links);
        Assert.Equal("lo", lo.Name);
        Assert.Equal(772, lo.Type);
        Assert.True(lo.AdminUp);
    }

    [Fact]
    public async Task Bridge_with_veth_ports_mtu_up_and_release()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        var k = ns.Kernel;
        // This kernel has no bridge VLAN filtering (it answers EOPNOTSUPP), so only STP is exercised here.
        await k.CreateLinkAsync(new LinkRequest { Name = "br0", Kind = "bridge", Bridge = new BridgeOptions(Stp: true), Up = true });
        await k.SetLinkAsync(new LinkRequest { Name = "veth0", Master = "br0", Mtu = 1400 });

        var links = (await k.GetLinksAsync()).ToDictionary(l => l.Name);
        var bridge = links["br0"];
        Assert.Equal("bridge", bridge.Kind);
        Assert.True(bridge.AdminUp);
        Assert.Equal(bridge.Index, links["veth0"].MasterIndex);
        Assert.Equal(1400, links["veth0"].Mtu);
        Assert.Equal("veth", links["veth0"].Kind);
        Assert.Equal(links["veth1"].Index, links["veth0"].ParentIndex);
        Assert.Contains("stp_state 1", ns.Ip("-d link show dev br0"));

        await k.SetLinkAsync(new LinkRequest { Name = "br0", Up = false });
        await k.SetLinkAsync(new LinkRequest { Name = "veth0", Master = "" });
        links = (await k.GetLinksAsync()).ToDictionary(l => l.Name);
        Assert.Equal(0, links["veth0"].MasterIndex);
        Assert.False(links["br0"].AdminUp);

        await k.DeleteLinkAsync("br0");
        Assert.DoesNotContain(await k.GetLinksAsync(), l => l.Name == "br0");
    }

    [Fact]
    public async Task Missing_link_is_enodev_naming_it()
    {
        using var ns = new Netns();
        var e = await Assert.ThrowsAsync<KernelException>(() => ns.Kernel.SetLinkAsync(new LinkRequest { Name = "eth9", Mtu = 9000 }));
        Assert.Equal(19, e.Errno);
        Assert.Equal("set link eth9 mtu 9000: link eth9: No such device (ENODEV)", e.Message);

        var master = await Assert.ThrowsAsync<KernelException>(() => ns.Kernel.SetLinkAsync(new LinkRequest { Name = "lo", Master = "br9" }));
        Assert.Contains("link br9: No such device", master.Message);
    }

    [Fact]
    public async Task Existing_link_is_eexist_and_bad_mtu_is_einval()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        await ns.Kernel.CreateLinkAsync(new LinkRequest { Name = "br0", Kind = "bridge" });
        var exists = await Assert.ThrowsAsync<KernelException>(() => ns.Kernel.CreateLinkAsync(new LinkRequest { Name = "br0", Kind = "bridge" }));
        Assert.Equal(17, exists.Errno);
        Assert.StartsWith("create bridge link br0: File exists", exists.Message);

        var mtu = await Assert.ThrowsAsync<KernelException>(() => ns.Kernel.SetLinkAsync(new LinkRequest { Name = "veth0", Mtu = 10 }));
        Assert.Equal(22, mtu.Errno);
        Assert.StartsWith("set link veth0 mtu 10: Invalid argument", mtu.Message);
    }

    [Fact]
    public async Task Missing_drivers_surface_as_kernel_errors()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        // No VLAN or WireGuard driver on this kernel: the kernel's own words come back with EOPNOTSUPP.
        var vlan = await Assert.ThrowsAsync<KernelException>(() => ns.Kernel.CreateLinkAsync(
            new LinkRequest { Name = "veth0.7", Kind = "vlan", Vlan = new VlanOptions("veth0", 7) }));
        Assert.Equal(95, vlan.Errno);
        Assert.StartsWith("create vlan link veth0.7: Operation not supported", vlan.Message);

        var key = Convert.ToBase64String(new byte[32]);
        var wg = await Assert.ThrowsAsync<KernelException>(() =>
            ns.Kernel.ConfigureWireguardAsync("wg0", new WireguardOptions { PrivateKey = key }));
        Assert.Equal(2, wg.Errno);
        Assert.Equal("configure wireguard wg0: generic netlink family \"wireguard\" not found: the wireguard kernel module is not loaded or not built (ENOENT)", wg.Message);
    }
}
