using System.Net;
using System.Text.RegularExpressions;
using Akka.Actor;
using Fabric.Actors.Netlink;
using Fabric.Node.Tests.Support;
using Fabric.Vip.Fence;

namespace Fabric.Node.Tests.Fence;

/// <summary>The fence in a namespace pair: an owner with the VIP on its link, and a peer asking for it with arping.
/// The owner's agent "dies" by no longer renewing: the kernel must go quiet for the VIP by the lease end by itself,
/// although the address stays on the link.</summary>
[Trait("Category", "Kernel")]
public sealed class LeaseFenceKernelTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const string Vip = "192.0.2.10";
    private NetworkNamespace owner = null!, peer = null!;
    private IActorRef fence = null!;

    public async Task InitializeAsync()
    {
        owner = await NetworkNamespace.CreateAsync("ffo");
        peer = await NetworkNamespace.CreateAsync("ffp");
        await owner.RunAsync($"ip link add eth0 type veth peer name eth0 netns {peer.Name}");
        await owner.RunAsync("ip addr add 192.0.2.1/24 dev eth0");
        await owner.RunAsync($"ip addr add {Vip}/32 dev eth0");
        await owner.RunAsync("ip link set eth0 up");
        await peer.RunAsync("ip addr add 192.0.2.2/24 dev eth0");
        await peer.RunAsync("ip link set eth0 up");
        fence = Sys.ActorOf(LeaseFence.Props(TimeSpan.Zero,
            script => FenceNamespace.ApplyRulesetAsync(owner, script),
            () => NfTablesSets.Open(FenceNamespace.PathOf(owner))));
    }

    public async Task DisposeAsync()
    {
        Sys.Stop(fence);
        await peer.DisposeAsync();
        await owner.DisposeAsync();
    }

    private async Task<int> ArpRepliesAsync()
    {
        var text = await peer.RunAsync($"arping -c 3 -W 0.05 -w 1 -i eth0 {Vip}", check: false);
        return Regex.Matches(text, "reply from|from [0-9a-f:]{17}").Count;
    }

    [Fact]
    public async Task Without_renewals_the_kernel_stops_answering_ARP_for_the_VIP_by_the_lease_end_though_it_stays_on_the_link()
    {
        Assert.True(await ArpRepliesAsync() > 0, "before any fence the kernel answers for the VIP");
        fence.Tell(new LeaseFence.Manage("vip", [IPAddress.Parse(Vip)]));
        await Eventually.EventuallyAsync(() => FenceNamespace.ListSetAsync(owner, "arp", "managed4"), s => s.Contains(Vip), "the VIP managed");
        Assert.Equal(0, await ArpRepliesAsync());

        var lease = new ActorLeaseFence(fence);
        var validity = TimeSpan.FromSeconds(3);
        var leaseEnd = DateTime.UtcNow + validity;
        await lease.OpenAsync(IPAddress.Parse(Vip), validity);
        Assert.True(await ArpRepliesAsync() > 0, "an owner inside its lease answers");

        // The agent dies here: nothing renews. By the lease end the kernel is quiet on its own.
        var wait = leaseEnd - DateTime.UtcNow;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        Assert.Equal(0, await ArpRepliesAsync());
        Assert.Contains(Vip, await owner.RunAsync("ip -4 addr show dev eth0"));
    }

    [Fact]
    public async Task Closing_fences_at_once_and_renewing_keeps_the_VIP_answered_past_the_first_timeout()
    {
        fence.Tell(new LeaseFence.Manage("vip", [IPAddress.Parse(Vip)], GuardTraffic: true));
        var lease = new ActorLeaseFence(fence);
        var ip = IPAddress.Parse(Vip);
        using var stop = new CancellationTokenSource();
        var renewing = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await lease.OpenAsync(ip, TimeSpan.FromMilliseconds(800));
                await Task.Delay(200);
            }
        });
        await Task.Delay(2400);
        // Well past the first opening's 0.8 s: alive only through the renewals.
        Assert.Contains(Vip, await FenceNamespace.ListSetAsync(owner, "inet", "owned4"));
        Assert.True(await ArpRepliesAsync() > 0, "a renewed owner still answers");
        await stop.CancelAsync();
        await renewing;

        lease.Close(ip);
        await Eventually.EventuallyAsync(() => FenceNamespace.ListSetAsync(owner, "arp", "owned4"), s => !s.Contains(Vip), "the owned element deleted");
        Assert.DoesNotContain(Vip, await FenceNamespace.ListSetAsync(owner, "inet", "owned4"));
        Assert.Equal(0, await ArpRepliesAsync());
        // Traffic to the fenced VIP is dropped on input too: a stale owner stops serving even a client whose ARP
        // cache still points at it.
        await PinNeighbourAsync();
        var ping = await peer.RunAsync($"ping -c 2 -i 0.2 -W 1 {Vip}", check: false);
        Assert.Contains("0 received", ping);
        var pingOwnAddress = await peer.RunAsync("ping -c 1 -W 1 192.0.2.1", check: false);
        Assert.Contains("1 received", pingOwnAddress);
    }

    [Fact]
    public async Task An_unguarded_address_such_as_a_service_IP_goes_quiet_on_ARP_but_still_takes_traffic()
    {
        // kube-proxy in IPVS mode serves LoadBalancer IPs on every node: the fence must not drop that traffic.
        fence.Tell(new LeaseFence.Manage("service-l2", [IPAddress.Parse(Vip)]));
        fence.Tell(LeaseFence.Subscribe.Instance, TestActor);
        FishForMessage<FenceState>(s => s.On, TimeSpan.FromSeconds(20));
        await Eventually.EventuallyAsync(() => FenceNamespace.ListSetAsync(owner, "arp", "managed4"), s => s.Contains(Vip), "the address managed");
        Assert.Equal(0, await ArpRepliesAsync());
        Assert.DoesNotContain(Vip, await FenceNamespace.ListSetAsync(owner, "inet", "guarded4"));
        await PinNeighbourAsync();
        Assert.Contains(" 0% packet loss", await peer.RunAsync($"ping -c 2 -i 0.2 -W 1 {Vip}", check: false));
    }

    [Fact]
    public async Task A_graceful_stop_removes_the_tables_so_nothing_of_Fabric_keeps_dropping_ARP()
    {
        fence.Tell(new LeaseFence.Manage("vip", [IPAddress.Parse(Vip)], GuardTraffic: true));
        fence.Tell(LeaseFence.Subscribe.Instance, TestActor);
        FishForMessage<FenceState>(s => s.On, TimeSpan.FromSeconds(20));
        Assert.Contains("table arp fabric", await owner.RunAsync("nft list tables"));
        await Eventually.EventuallyAsync(ArpRepliesAsync, n => n == 0, "the managed, unowned VIP fenced");

        var done = await fence.Ask<LeaseFence.TornDown>(LeaseFence.TearDown.Instance, TimeSpan.FromSeconds(10));
        Assert.Null(done.Error);
        Assert.DoesNotContain("fabric", await owner.RunAsync("nft list tables"));
        Assert.True(await ArpRepliesAsync() > 0, "with the tables gone the kernel answers for the address again");
        // Stopped: an open completes at once and sets nothing up again.
        await new ActorLeaseFence(fence).OpenAsync(IPAddress.Parse(Vip), TimeSpan.FromSeconds(1)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.DoesNotContain("fabric", await owner.RunAsync("nft list tables"));
    }

    /// <summary>The peer keeps the owner's MAC for the VIP without asking, as a client with a warm ARP cache does.</summary>
    private async Task PinNeighbourAsync()
    {
        var mac = (await owner.RunAsync("cat /sys/class/net/eth0/address")).Trim();
        await peer.RunAsync($"ip neigh replace {Vip} lladdr {mac} dev eth0 nud permanent");
    }

    [Fact]
    public async Task Removing_an_address_from_the_declared_set_takes_it_out_of_managed_and_the_fence_reports_on()
    {
        fence.Tell(LeaseFence.Subscribe.Instance, TestActor);
        ExpectMsg<FenceState>(s => s.Text == "starting");
        fence.Tell(new LeaseFence.Manage("vip", [IPAddress.Parse(Vip), IPAddress.Parse("2001:db8::10")]));
        ExpectMsg<FenceState>(s => s.On, TimeSpan.FromSeconds(20));
        await Eventually.EventuallyAsync(() => FenceNamespace.ListSetAsync(owner, "inet", "managed6"), s => s.Contains("0x20010db8"), "the IPv6 VIP managed");
        fence.Tell(new LeaseFence.Manage("vip", [IPAddress.Parse("2001:db8::10")]));
        await Eventually.EventuallyAsync(() => FenceNamespace.ListSetAsync(owner, "arp", "managed4"), s => !s.Contains(Vip), "the VIP no longer managed");
        Assert.DoesNotContain(Vip, await FenceNamespace.ListSetAsync(owner, "inet", "managed4"));
        Assert.True(await ArpRepliesAsync() > 0, "an address no longer managed is answered for as before");
    }
}
