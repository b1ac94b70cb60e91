using System.Net;
using System.Text.Json.Nodes;
using Fabric.Vip.EquinixMetal;

namespace Fabric.Vip.Tests.Providers;

public sealed class EquinixMetalAnnouncerTests : IAsyncLifetime
{
    private static readonly VipAnnouncement Vip = new(IPAddress.Parse("192.0.2.10"), "bond0", 4);
    private FakeEquinixMetalServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeEquinixMetalServer.StartAsync();
        _server.AddReservation("res-1", "192.0.2.8", 29);
        _server.AddReservation("res-2", "198.51.100.0", 30);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private EquinixMetalOptions Options(string? token = FakeEquinixMetalServer.Token) => new()
    {
        BaseUrl = _server.BaseUrl,
        MetadataUrl = _server.MetadataUrl,
        Token = token,
        Retry = HcloudTestSetup.FastRetry,
    };

    private static EquinixMetalAnnouncer Announcer(EquinixMetalOptions options) => new(options, getEnv: _ => null);

    [Fact]
    public async Task Takeover_deletes_the_other_devices_assignment_then_assigns_to_this_device()
    {
        var old = _server.Assign("192.0.2.10", "dev-b");
        _server.Assign("192.0.2.11", "dev-b");
        using var announcer = Announcer(Options());

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal([FakeEquinixMetalServer.OwnDevice], _server.DevicesHolding("192.0.2.10"));
        Assert.Equal(["dev-b"], _server.DevicesHolding("192.0.2.11"));
        var requests = _server.ApiRequests;
        Assert.Equal([
            "GET /metal/v1/devices/dev-a?include=project",
            "GET /metal/v1/projects/proj-1/ips",
            $"GET /metal/v1/ips/{old}",
            "GET /metal/v1/ips/asg-2",
            $"DELETE /metal/v1/ips/{old}",
            "POST /metal/v1/devices/dev-a/ips",
        ], requests.Select(r => $"{r.Method} {r.Path}{r.Query}"));
        Assert.All(requests, r => Assert.Equal(FakeEquinixMetalServer.Token, r.Header("X-Auth-Token")));
        Assert.Equal("192.0.2.10", JsonNode.Parse(requests[^1].Body)!["address"]!.GetValue<string>());
        var metadata = Assert.Single(_server.Host.Requests, r => r.Path == "/metadata");
        Assert.Null(metadata.Header("X-Auth-Token"));
    }

    [Fact]
    public async Task Inline_assignment_details_need_no_extra_lookups()
    {
        _server.InlineAssignmentDetails = true;
        _server.Assign("192.0.2.10", "dev-b");
        using var announcer = Announcer(Options() with { DeviceId = "dev-a", ProjectId = "proj-1" });

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal(["GET /metal/v1/projects/proj-1/ips", "DELETE /metal/v1/ips/asg-1", "POST /metal/v1/devices/dev-a/ips"],
            _server.ApiRequests.Select(r => $"{r.Method} {r.Path}"));
    }

    [Fact]
    public async Task Unassigned_vip_is_assigned_without_a_delete()
    {
        using var announcer = Announcer(Options());

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal([FakeEquinixMetalServer.OwnDevice], _server.DevicesHolding("192.0.2.10"));
        Assert.DoesNotContain(_server.ApiRequests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Already_assigned_to_this_device_is_a_no_op()
    {
        _server.InlineAssignmentDetails = true;
        _server.Assign("192.0.2.10", FakeEquinixMetalServer.OwnDevice);
        using var announcer = Announcer(Options() with { DeviceId = "dev-a", ProjectId = "proj-1" });

        await announcer.AnnounceAsync(Vip, CancellationToken.None);
        await announcer.RefreshAsync(Vip, CancellationToken.None);

        Assert.All(_server.ApiRequests, r => Assert.Equal("GET", r.Method));
    }

    [Fact]
    public async Task Wrong_token_fails_at_once_without_retries()
    {
        using var announcer = Announcer(Options(token: "em-wrong") with { DeviceId = "dev-a", ProjectId = "proj-1" });

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Equal("equinix-metal: cannot announce 192.0.2.10: the API token was rejected (401 unauthorized: Invalid authentication token)", ex.Message);
        Assert.Single(_server.ApiRequests);
    }

    [Fact]
    public async Task Vip_not_reserved_in_the_project_says_so()
    {
        using var announcer = Announcer(Options());

        var ex = await Assert.ThrowsAsync<AnnounceException>(() =>
            announcer.AnnounceAsync(Vip with { Ip = IPAddress.Parse("203.0.113.5") }, CancellationToken.None));

        Assert.Equal("equinix-metal: IP 203.0.113.5 not found in project proj-1 (no reservation contains it)", ex.Message);
    }

    [Fact]
    public async Task Unknown_device_is_a_clear_404()
    {
        using var announcer = Announcer(Options() with { DeviceId = "dev-gone" });

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Equal("equinix-metal: device dev-gone not found (is the token for the right project?)", ex.Message);
        Assert.Single(_server.ApiRequests);
    }

    [Fact]
    public async Task Unknown_project_is_reported_with_the_api_message()
    {
        using var announcer = Announcer(Options() with { DeviceId = "dev-a", ProjectId = "proj-x" });

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Equal("equinix-metal: cannot announce 192.0.2.10: GET /metal/v1/projects/proj-x/ips failed: 404 not found: Not found", ex.Message);
    }

    [Fact]
    public async Task Server_errors_are_retried_on_every_call()
    {
        _server.Assign("192.0.2.10", "dev-b");
        _server.Host.FailNext(2, 500, FakeEquinixMetalServer.ErrorBody("internal error"));
        using var announcer = Announcer(Options());

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal([FakeEquinixMetalServer.OwnDevice], _server.DevicesHolding("192.0.2.10"));
    }

    [Fact]
    public async Task Withdraw_deletes_only_with_the_option_and_only_our_assignment()
    {
        _server.InlineAssignmentDetails = true;
        _server.Assign("192.0.2.10", FakeEquinixMetalServer.OwnDevice);
        using (var keep = Announcer(Options() with { DeviceId = "dev-a", ProjectId = "proj-1" }))
            await keep.WithdrawAsync(Vip, CancellationToken.None);
        Assert.Empty(_server.Host.Requests);

        using var release = Announcer(Options() with { DeviceId = "dev-a", ProjectId = "proj-1", UnassignOnWithdraw = true });
        await release.WithdrawAsync(Vip, CancellationToken.None);
        Assert.Empty(_server.DevicesHolding("192.0.2.10"));

        _server.Assign("192.0.2.10", "dev-b");
        await release.WithdrawAsync(Vip, CancellationToken.None);
        Assert.Equal(["dev-b"], _server.DevicesHolding("192.0.2.10"));
    }

    [Fact]
    public async Task Cancellation_during_backoff_is_not_reported_as_a_provider_failure()
    {
        _server.Host.FailNext(1, 429, FakeEquinixMetalServer.ErrorBody("slow down"), r => r.Headers.RetryAfter = "3");
        using var announcer = Announcer(Options());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => announcer.AnnounceAsync(Vip, cts.Token));
        Assert.Empty(_server.DevicesHolding("192.0.2.10"));
    }

    [Theory]
    [InlineData("METAL_AUTH_TOKEN")]
    [InlineData("PACKET_AUTH_TOKEN")]
    public async Task Token_comes_from_the_environment_when_the_config_has_none(string variable)
    {
        var env = new Dictionary<string, string> { [variable] = FakeEquinixMetalServer.Token };
        using var announcer = new EquinixMetalAnnouncer(Options(token: null), getEnv: n => env.GetValueOrDefault(n));

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal([FakeEquinixMetalServer.OwnDevice], _server.DevicesHolding("192.0.2.10"));
    }
}
