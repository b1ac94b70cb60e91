using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fabric.Actors.Kernel;
using Fabric.Actors.Netlink;
using Fabric.Vip.Fence;

namespace Fabric.Vip.Tests.Election;

/// <summary>A node where nftables cannot be used runs without the fence, and says so: the elector's opens complete
/// (an owner is never held back waiting for a fence that will not come) and the state names the reason.</summary>
public sealed class LeaseFenceOffTests : TestKit
{
    [Fact]
    public async Task Without_nft_the_fence_is_off_with_the_reason_and_opens_complete_at_once()
    {
        var setUps = 0;
        var (fence, off) = await OpenUntilOffAsync(
            _ => { setUps++; return Task.FromResult<string?>("cannot run nft: No such file or directory"); },
            () => throw new InvalidOperationException("no socket is opened when the set-up failed"));
        Assert.Equal("off: cannot run nft: No such file or directory", off);

        // Later opens and declarations neither wait nor try nft again.
        await new ActorLeaseFence(fence).OpenAsync(IPAddress.Parse("192.0.2.11"), TimeSpan.FromMilliseconds(400)).WaitAsync(TimeSpan.FromSeconds(5));
        fence.Tell(new LeaseFence.Manage("vip", [IPAddress.Parse("192.0.2.10")], GuardTraffic: true), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, setUps);
    }

    [Fact]
    public async Task A_netlink_socket_that_cannot_be_opened_turns_the_fence_off()
    {
        var (_, off) = await OpenUntilOffAsync(_ => Task.FromResult<string?>(null),
            () => throw new KernelException(93, "socket(NETLINK_NETFILTER)", "Protocol not supported"));
        Assert.StartsWith("off: cannot open the nf_tables netlink socket", off);
    }

    /// <summary>Starts a fence with the given set-up and socket, opens an address while it starts, and returns the
    /// state it then says, once that open has completed.</summary>
    private async Task<(IActorRef Fence, string State)> OpenUntilOffAsync(Func<string, Task<string?>> setUp, Func<NfTablesSets> openSets)
    {
        var fence = Sys.ActorOf(LeaseFence.Props(TimeSpan.Zero, setUp, openSets));
        fence.Tell(LeaseFence.Subscribe.Instance, TestActor);
        ExpectMsg<FenceState>(s => s.Text == "starting");
        var open = new ActorLeaseFence(fence).OpenAsync(IPAddress.Parse("192.0.2.10"), TimeSpan.FromMilliseconds(400));
        var state = ExpectMsg<FenceState>(TimeSpan.FromSeconds(5)).Text;
        await open.WaitAsync(TimeSpan.FromSeconds(5));
        return (fence, state);
    }
}
