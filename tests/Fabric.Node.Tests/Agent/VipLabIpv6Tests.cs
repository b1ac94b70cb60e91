using Xunit.Abstractions;
using Fabric.Node.Tests.Support;

namespace Fabric.Node.Tests.Agent;

/// <summary>An IPv6 VIP (a Layer2VIPConfig document) between real agents in namespaces: the new owner must answer
/// at once (no duplicate address detection on the VIP) and its unsolicited neighbour advertisement must turn the
/// client's neighbour entry to it.</summary>
[Trait("Category", "Lab")]
[Collection("VipLab")]
public sealed class VipLabIpv6Tests(ITestOutputHelper output) : IAsyncLifetime
{
    private VipLab lab = null!;

    public async Task InitializeAsync() => lab = await VipLab.StartAsync(withIpv6: true);

    public async Task DisposeAsync() => await lab.DisposeAsync();

    [Fact]
    public async Task The_IPv6_VIP_moves_when_its_owner_crashes_and_one_MAC_answers_neighbour_solicitations()
    {
        var owner = await Eventually.EventuallyAsync(lab.NdpOwnerAsync, o => o > 0, "one node answering neighbour solicitations for the IPv6 VIP");
        var outage = await lab.OutageAsync(() => lab.CrashAsync(owner), TimeSpan.FromSeconds(5), VipLab.Vip6);
        output.WriteLine($"node {owner} crashed; IPv6 client outage {outage} ms");
        Assert.True(outage < 3000, $"IPv6 client outage {outage} ms after the owner crashed");
        var next = await Eventually.EventuallyAsync(lab.NdpOwnerAsync, o => o > 0 && o != owner, "another node alone answering for the IPv6 VIP");
        Assert.Single(await lab.NdpResponderMacsAsync());

        // The crashed node comes back: the VIP stays where it is and still one MAC answers.
        await lab.ReviveAsync(owner);
        await Task.Delay(3000);
        Assert.Equal(next, await Eventually.EventuallyAsync(lab.NdpOwnerAsync, o => o > 0, "one node answering for the IPv6 VIP after the revival"));
    }
}
