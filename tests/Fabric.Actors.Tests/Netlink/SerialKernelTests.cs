using System.Diagnostics;
using System.Net;
using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;

namespace Fabric.Actors.Tests.Netlink;

/// <summary>Tests that measure the process (time, open descriptors) and so must not share it with other tests.</summary>
[CollectionDefinition(nameof(SerialKernelTests), DisableParallelization = true)]
public class SerialKernelCollection;

[Collection(nameof(SerialKernelTests))]
[Trait("Category", "Kernel")]
public class SerialKernelTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>How fast this goes next to `ip -batch` is measured in bench/ (bench/Fabric.Bench, "kernel"); here only
    /// that a thousand concurrent requests of each kind all land and are all answered.</summary>
    [Fact]
    public async Task A_thousand_concurrent_addresses_and_routes_all_land()
    {
        using var ns = new Netns();
        ns.AddVethPair();
        ns.Ip("addr add 192.0.2.5/24 dev veth0");
        var veth0 = ns.IndexOf("veth0");
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => ns.Kernel.AddAddressAsync(new KernelAddress
            { LinkIndex = veth0, Prefix = new IpPrefix(IPAddress.Parse(Host(i)), 32), Protocol = FabricMarks.Protocol })));
        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => ns.Kernel.ReplaceRouteAsync(new KernelRoute
        {
            Family = System.Net.Sockets.AddressFamily.InterNetwork, Destination = new IpPrefix(IPAddress.Parse(Net(i)), 28),
            Gateway = IPAddress.Parse("192.0.2.1"), OutLinkIndex = veth0, Protocol = FabricMarks.Protocol,
        })));
        Assert.Equal(1000, (await ns.Kernel.GetAddressesAsync()).Count(a => a.Protocol == FabricMarks.Protocol));
        Assert.Equal(1000, (await ns.Kernel.GetRoutesAsync()).Count(r => r.Protocol == FabricMarks.Protocol));

        static string Host(int i) => $"198.18.{i / 250}.{i % 250 + 1}";
        static string Net(int i) => $"198.19.{i / 16}.{i % 16 * 16}";
    }

    [Fact]
    public async Task Disposing_releases_every_descriptor()
    {
        using var ns = new Netns();
        // Sockets only: the runtime opens epoll and pipe descriptors of its own on first use.
        static int Sockets() => new DirectoryInfo("/proc/self/fd").GetFileSystemInfos()
            .Count(f => f.LinkTarget?.StartsWith("socket:") == true);
        var before = Sockets();
        for (var i = 0; i < 5; i++)
        {
            using var kernel = NetlinkKernel.Open(ns.Path);
            using (kernel.Subscribe(_ => { })) await kernel.GetLinksAsync();
            await Assert.ThrowsAsync<KernelException>(() =>
                kernel.ConfigureWireguardAsync("wg0", new WireguardOptions { PrivateKey = Convert.ToBase64String(new byte[32]) }));
        }
        Assert.Equal(before, Sockets());
    }

    [Fact]
    public async Task Disposed_kernel_fails_requests_instead_of_hanging()
    {
        using var ns = new Netns();
        var kernel = NetlinkKernel.Open(ns.Path);
        kernel.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => kernel.GetLinksAsync());
    }

    [Fact]
    public void Hostname_is_set_and_read_in_a_private_uts_namespace()
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                // unshare affects only this thread, so the machine's hostname is never touched.
                Assert.Equal(0, Native.Unshare(Native.CloneNewUts));
                using var kernel = NetlinkKernel.Open();
                kernel.SetHostnameAsync("fabric-test-node").GetAwaiter().GetResult();
                Assert.Equal("fabric-test-node", kernel.GetHostnameAsync().GetAwaiter().GetResult());
                var e = Assert.Throws<KernelException>(() => kernel.SetHostnameAsync(new string('a', 65)).GetAwaiter().GetResult());
                Assert.Equal(22, e.Errno);
            }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw failure;
    }
}
