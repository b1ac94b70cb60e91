using System.Net;
using System.Text.Json.Nodes;
using Fabric.Vip.Hcloud;

namespace Fabric.Vip.Tests.Providers;

public sealed class HcloudFloatingIpTests : IAsyncLifetime
{
    private static readonly VipAnnouncement Vip = new(IPAddress.Parse("192.0.2.10"), "eth0", 3);
    private FakeHcloudServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeHcloudServer.StartAsync();
        _server.AddServer(FakeHcloudServer.MetadataServerId, 1);
        _server.AddServer(99, 1);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Announce_assigns_the_floating_ip_to_this_server_and_polls_the_action_to_success()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: 99);
        _server.RunningPolls = 2;
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server));

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal(FakeHcloudServer.MetadataServerId, _server.HolderOf(7));
        var requests = _server.ApiRequests;
        Assert.Equal(["GET /v1/floating_ips", "POST /v1/floating_ips/7/actions/assign",
            "GET /v1/actions/1000", "GET /v1/actions/1000", "GET /v1/actions/1000"],
            requests.Select(r => $"{r.Method} {r.Path}"));
        var assign = requests[1];
        Assert.Equal($"Bearer {FakeHcloudServer.Token}", assign.Header("Authorization"));
        Assert.StartsWith("application/json", assign.Header("Content-Type"));
        Assert.Equal(42, JsonNode.Parse(assign.Body)!["server"]!.GetValue<long>());
        Assert.All(requests, r => Assert.Equal($"Bearer {FakeHcloudServer.Token}", r.Header("Authorization")));
    }

    [Fact]
    public async Task Server_id_comes_from_the_metadata_service_which_never_sees_the_token()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: null);
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server));

        await announcer.AnnounceAsync(Vip, CancellationToken.None);
        await announcer.RefreshAsync(Vip, CancellationToken.None);

        var metadata = Assert.Single(_server.Host.Requests, r => r.Path == "/hetzner/v1/metadata/instance-id");
        Assert.Null(metadata.Header("Authorization"));
        Assert.Equal(FakeHcloudServer.MetadataServerId, _server.HolderOf(7));
    }

    [Fact]
    public async Task Configured_server_id_skips_the_metadata_service()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: null);
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server) with { ServerId = 99 });

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal(99, _server.HolderOf(7));
        Assert.DoesNotContain(_server.Host.Requests, r => r.Path.Contains("metadata"));
    }

    [Fact]
    public async Task Already_assigned_to_us_is_a_no_op()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: FakeHcloudServer.MetadataServerId);
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server));

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        var only = Assert.Single(_server.ApiRequests);
        Assert.Equal("GET /v1/floating_ips", $"{only.Method} {only.Path}");
    }

    [Fact]
    public async Task Pagination_finds_the_floating_ip_on_page_two()
    {
        for (var i = 1; i <= 60; i++)
            _server.AddFloatingIp(i, $"198.51.100.{i}", server: null);
        _server.AddFloatingIp(61, "192.0.2.10", server: 99);
        _server.RunningPolls = 0;
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server));

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        var lists = _server.ApiRequests.Where(r => r.Path == "/v1/floating_ips").Select(r => r.Query).ToList();
        Assert.Equal(["?page=1&per_page=50", "?page=2&per_page=50"], lists);
        Assert.Equal(FakeHcloudServer.MetadataServerId, _server.HolderOf(61));
    }

    [Fact]
    public async Task Ipv6_vip_matches_the_floating_ip_network()
    {
        _server.AddFloatingIp(8, "2001:db8:1::/64", server: 99, type: "ipv6");
        _server.RunningPolls = 0;
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server));

        await announcer.AnnounceAsync(Vip with { Ip = IPAddress.Parse("2001:db8:1::10") }, CancellationToken.None);

        Assert.Equal(FakeHcloudServer.MetadataServerId, _server.HolderOf(8));
    }

    [Fact]
    public async Task Floating_ip_missing_from_the_project_says_so()
    {
        _server.AddFloatingIp(7, "192.0.2.99", server: 99);
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server));

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Equal("hcloud: floating IP 192.0.2.10 not found in the project", ex.Message);
    }

    [Fact]
    public async Task Action_ending_in_error_is_surfaced_and_the_ip_stays_put()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: 99);
        _server.NextActionError = ("server_not_found", "server 42 is being deleted");
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server));

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Equal("hcloud: cannot announce 192.0.2.10: action 1000 (assign_floating_ip) failed: server_not_found: server 42 is being deleted", ex.Message);
        Assert.Equal(99, _server.HolderOf(7));
    }

    [Fact]
    public async Task Action_still_running_after_the_timeout_fails()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: 99);
        _server.RunningPolls = int.MaxValue;
        var options = HcloudTestSetup.Options(_server) with { ActionTimeout = TimeSpan.FromMilliseconds(150) };
        using var announcer = HcloudTestSetup.Announcer(options);

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Contains("action 1000 (assign_floating_ip) still running after 0.2 s", ex.Message);
    }

    [Fact]
    public async Task Cancellation_while_polling_is_not_reported_as_a_provider_failure()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: 99);
        _server.RunningPolls = int.MaxValue;
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => announcer.AnnounceAsync(Vip, cts.Token));
    }

    [Fact]
    public async Task Refresh_takes_the_ip_back_when_someone_moved_it()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: 99);
        _server.RunningPolls = 0;
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server) with { ServerId = 42 });

        await announcer.RefreshAsync(Vip, CancellationToken.None);
        Assert.Equal(42, _server.HolderOf(7));
        var before = _server.ApiRequests.Count;

        await announcer.RefreshAsync(Vip, CancellationToken.None);
        Assert.Equal(before + 1, _server.ApiRequests.Count);
    }

    [Fact]
    public async Task Withdraw_does_nothing_by_default()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: 42);
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server) with { ServerId = 42 });

        await announcer.WithdrawAsync(Vip, CancellationToken.None);

        Assert.Empty(_server.Host.Requests);
        Assert.Equal(42, _server.HolderOf(7));
    }

    [Fact]
    public async Task Withdraw_with_unassign_releases_the_ip_only_while_it_is_ours()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: 42);
        _server.RunningPolls = 1;
        var options = HcloudTestSetup.Options(_server) with { ServerId = 42, UnassignOnWithdraw = true };
        using var announcer = HcloudTestSetup.Announcer(options);

        await announcer.WithdrawAsync(Vip, CancellationToken.None);
        Assert.Null(_server.HolderOf(7));
        Assert.Contains(_server.ApiRequests, r => r is { Method: "POST", Path: "/v1/floating_ips/7/actions/unassign" });

        _server.AddFloatingIp(7, "192.0.2.10", server: 99);
        await announcer.WithdrawAsync(Vip, CancellationToken.None);
        Assert.Equal(99, _server.HolderOf(7));
    }

    [Fact]
    public async Task Token_comes_from_HCLOUD_TOKEN_when_the_config_has_none()
    {
        _server.AddFloatingIp(7, "192.0.2.10", server: 42);
        var env = new Dictionary<string, string> { ["HCLOUD_TOKEN"] = FakeHcloudServer.Token };
        using var announcer = new HcloudAnnouncer(HcloudTestSetup.Options(_server, token: null) with { ServerId = 42 },
            getEnv: n => env.GetValueOrDefault(n));

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal($"Bearer {FakeHcloudServer.Token}", Assert.Single(_server.ApiRequests).Header("Authorization"));
    }

    [Fact]
    public async Task Missing_token_fails_without_calling_the_api()
    {
        using var announcer = HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server, token: null));

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Contains("no API token", ex.Message);
        Assert.Contains("HCLOUD_TOKEN", ex.Message);
        Assert.Empty(_server.Host.Requests);
    }
}
