using System.Net;
using System.Text.Json.Nodes;

namespace Fabric.Vip.Tests.Providers;

public sealed class HcloudAliasIpTests : IAsyncLifetime
{
    private const long Network = 5;
    private static readonly VipAnnouncement Vip = new(IPAddress.Parse("198.51.100.100"), "ens10", 8);
    private FakeHcloudServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeHcloudServer.StartAsync();
        _server.RunningPolls = 1;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Fabric.Vip.Hcloud.HcloudAnnouncer Announcer(bool unassign = false) =>
        HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server) with
        {
            ServerId = 42, NetworkId = Network, UnassignOnWithdraw = unassign,
        });

    private static string[] AliasIps(RecordedRequest r) =>
        JsonNode.Parse(r.Body)!["alias_ips"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Announce_removes_the_alias_from_the_old_holder_first_and_keeps_other_aliases()
    {
        _server.AddServer(42, Network, "198.51.100.50");
        _server.AddServer(99, Network, "198.51.100.100", "198.51.100.200");
        using var announcer = Announcer();

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        var changes = _server.ApiRequests.Where(r => r.Path.EndsWith("/actions/change_alias_ips")).ToList();
        Assert.Equal(["/v1/servers/99/actions/change_alias_ips", "/v1/servers/42/actions/change_alias_ips"],
            changes.Select(r => r.Path));
        Assert.Equal(["198.51.100.200"], AliasIps(changes[0]));
        Assert.Equal(["198.51.100.50", "198.51.100.100"], AliasIps(changes[1]));
        Assert.Equal(Network, JsonNode.Parse(changes[0].Body)!["network"]!.GetValue<long>());
        Assert.Equal(["198.51.100.200"], _server.AliasesOf(99, Network));
        Assert.Equal(["198.51.100.50", "198.51.100.100"], _server.AliasesOf(42, Network));

        // The add must not start before the removal's action finished.
        var paths = _server.ApiRequests.Select(r => $"{r.Method} {r.Path}").ToList();
        var addAt = paths.IndexOf("POST /v1/servers/42/actions/change_alias_ips");
        Assert.Equal("GET /v1/actions/1000", paths[addAt - 1]);
    }

    [Fact]
    public async Task Alias_already_only_on_this_server_is_a_no_op()
    {
        _server.AddServer(42, Network, "198.51.100.100");
        _server.AddServer(99, Network);
        using var announcer = Announcer();

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.All(_server.ApiRequests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task Server_not_on_the_network_is_reported()
    {
        _server.AddServer(42, 77);
        using var announcer = Announcer();

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Equal("hcloud: server 42 is not attached to network 5", ex.Message);
    }

    [Fact]
    public async Task Withdraw_with_unassign_drops_only_the_vip_from_this_server()
    {
        _server.AddServer(42, Network, "198.51.100.100", "198.51.100.50");
        using var announcer = Announcer(unassign: true);

        await announcer.WithdrawAsync(Vip, CancellationToken.None);

        Assert.Equal(["198.51.100.50"], _server.AliasesOf(42, Network));
    }
}
