using System.Net;
using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;
using Fabric.Node.Tests.Support;
using Fabric.Vip.Fence;

namespace Fabric.Node.Tests.Fence;

/// <summary>Set elements moved over nfnetlink by <see cref="NfTablesSets"/>, read back with nft, in a namespace.</summary>
[Trait("Category", "Kernel")]
public sealed class NfTablesSetsKernelTests : IAsyncLifetime
{
    private static readonly IPAddress Vip = IPAddress.Parse("192.0.2.10");
    private NetworkNamespace ns = null!;
    private NfTablesSets sets = null!;

    public async Task InitializeAsync()
    {
        ns = await NetworkNamespace.CreateAsync("fnft");
        Assert.Null(await FenceNamespace.ApplyRulesetAsync(ns, FenceRuleset.Script));
        sets = NfTablesSets.Open(FenceNamespace.PathOf(ns));
    }

    public async Task DisposeAsync()
    {
        sets?.Dispose();
        await ns.DisposeAsync();
    }

    [Fact]
    public async Task An_element_added_with_a_timeout_reads_back_with_it_and_expires()
    {
        await sets.ApplyAsync([NftSetChange.Add(FenceRuleset.ArpOwned4, Vip, TimeSpan.FromMilliseconds(1500))]);
        var listed = await FenceNamespace.ListSetAsync(ns, "arp", "owned4");
        Assert.Contains("192.0.2.10 timeout 1s500ms expires", listed);
        await Eventually.EventuallyAsync(() => FenceNamespace.ListSetAsync(ns, "arp", "owned4"), s => !s.Contains("192.0.2.10"), "the element to expire");
    }

    [Fact]
    public async Task Re_adding_an_element_sets_its_timeout_anew_both_longer_and_shorter()
    {
        await sets.ApplyAsync([NftSetChange.Add(FenceRuleset.InetOwned4, Vip, TimeSpan.FromSeconds(10))]);
        await sets.ApplyAsync([NftSetChange.Add(FenceRuleset.InetOwned4, Vip, TimeSpan.FromSeconds(60))]);
        Assert.Contains("192.0.2.10 timeout 1m expires", await FenceNamespace.ListSetAsync(ns, "inet", "owned4"));
        await sets.ApplyAsync([NftSetChange.Add(FenceRuleset.InetOwned4, Vip, TimeSpan.FromSeconds(2))]);
        Assert.Contains("192.0.2.10 timeout 2s expires", await FenceNamespace.ListSetAsync(ns, "inet", "owned4"));
    }

    [Fact]
    public async Task Re_adding_an_element_with_the_same_timeout_restarts_its_countdown()
    {
        // As an owner renewing at a steady pace does: the same remaining validity each time.
        await sets.ApplyAsync([NftSetChange.Add(FenceRuleset.InetOwned4, Vip, TimeSpan.FromMilliseconds(1500))]);
        await Task.Delay(800);
        await sets.ApplyAsync([NftSetChange.Add(FenceRuleset.InetOwned4, Vip, TimeSpan.FromMilliseconds(1500))]);
        // Counting down from 1.5 s again, not from the 0.7 s left.
        Assert.Matches(@"192\.0\.2\.10 timeout 1s500ms expires 1s\d+ms", await FenceNamespace.ListSetAsync(ns, "inet", "owned4"));
    }

    [Fact]
    public async Task One_batch_adds_to_both_families_and_deletes_and_flushes_take_elements_out()
    {
        var v6 = IPAddress.Parse("2001:db8::10");
        await sets.ApplyAsync([
            NftSetChange.Add(FenceRuleset.ArpManaged4, Vip), NftSetChange.Add(FenceRuleset.InetManaged4, Vip),
            NftSetChange.Add(FenceRuleset.InetOwned6, v6, TimeSpan.FromSeconds(30)),
        ]);
        Assert.Contains("192.0.2.10", await FenceNamespace.ListSetAsync(ns, "arp", "managed4"));
        Assert.Contains("192.0.2.10", await FenceNamespace.ListSetAsync(ns, "inet", "managed4"));
        // The IPv6 sets are typed by raw bits; nft prints the address as one big number.
        Assert.Contains("0x20010db8000000000000000000000010 timeout 30s", await FenceNamespace.ListSetAsync(ns, "inet", "owned6"));

        await sets.ApplyAsync([NftSetChange.Delete(FenceRuleset.InetOwned6, v6), NftSetChange.Flush(FenceRuleset.ArpManaged4)]);
        Assert.DoesNotContain("0x2001", await FenceNamespace.ListSetAsync(ns, "inet", "owned6"));
        Assert.DoesNotContain("192.0.2.10", await FenceNamespace.ListSetAsync(ns, "arp", "managed4"));
        Assert.Contains("192.0.2.10", await FenceNamespace.ListSetAsync(ns, "inet", "managed4"));
    }

    [Fact]
    public async Task A_refused_batch_names_what_it_asked_and_applies_nothing()
    {
        var missing = new NftSetRef(NftFamily.Arp, FenceRuleset.Table, "nosuch");
        var e = await Assert.ThrowsAsync<KernelException>(() => sets.ApplyAsync([
            NftSetChange.Add(FenceRuleset.ArpManaged4, Vip), NftSetChange.Add(missing, Vip, TimeSpan.FromSeconds(1)),
        ]));
        Assert.Equal(2, e.Errno);
        Assert.Contains("nftables: add element arp fabric managed4 { 192.0.2.10 }; add element arp fabric nosuch { 192.0.2.10 timeout 1000ms expires 1000ms }", e.Message);
        Assert.DoesNotContain("192.0.2.10", await FenceNamespace.ListSetAsync(ns, "arp", "managed4"));

        var gone = await Assert.ThrowsAsync<KernelException>(() => sets.ApplyAsync([NftSetChange.Delete(FenceRuleset.ArpOwned4, Vip)]));
        Assert.Equal(2, gone.Errno);
    }
}
