using System.Diagnostics;
using System.Globalization;
using System.Net;
using Fabric.Vip.Providers;

namespace Fabric.Vip.Tests.Providers;

public sealed class HcloudResilienceTests : IAsyncLifetime
{
    private static readonly VipAnnouncement Vip = new(IPAddress.Parse("192.0.2.10"), "eth0", 3);
    private FakeHcloudServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeHcloudServer.StartAsync();
        _server.AddServer(42, 1);
        _server.AddServer(99, 1);
        _server.AddFloatingIp(7, "192.0.2.10", server: 99);
        _server.RunningPolls = 0;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Fabric.Vip.Hcloud.HcloudAnnouncer Announcer(List<string>? log = null) =>
        HcloudTestSetup.Announcer(HcloudTestSetup.Options(_server) with { ServerId = 42 }, log);

    private string RateLimitBody => _server.ErrorBody("rate_limit_exceeded", "limit of 3600 requests per hour reached");

    private static Action<Microsoft.AspNetCore.Http.HttpResponse> RateLimitHeaders(DateTimeOffset reset) => r =>
    {
        r.Headers["RateLimit-Limit"] = "3600";
        r.Headers["RateLimit-Remaining"] = "0";
        r.Headers["RateLimit-Reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    };

    [Fact]
    public async Task Rate_limited_call_waits_for_the_reset_time_then_succeeds()
    {
        // Unix-second resolution: the next full second is at most one second away.
        var reset = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        _server.Host.FailNext(1, 429, RateLimitBody, RateLimitHeaders(reset));
        var log = new List<string>();
        using var announcer = Announcer(log);

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal(42, _server.HolderOf(7));
        var requests = _server.ApiRequests;
        Assert.Equal(["GET /v1/floating_ips", "GET /v1/floating_ips", "POST /v1/floating_ips/7/actions/assign"],
            requests.Select(r => $"{r.Method} {r.Path}"));
        // Small tolerance for clock granularity between the test and Kestrel's threads.
        Assert.True(requests[1].At >= reset - TimeSpan.FromMilliseconds(30),
            $"retried at {requests[1].At:O}, before the reset at {reset:O}");
        Assert.Contains(log, m => m.Contains("429 too many requests"));
    }

    [Fact]
    public async Task Retry_After_is_honoured_when_there_is_no_RateLimit_Reset()
    {
        _server.Host.FailNext(1, 429, RateLimitBody, r => r.Headers.RetryAfter = "1");
        using var announcer = Announcer();
        var clock = Stopwatch.StartNew();

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(950), $"only waited {clock.Elapsed}");
        Assert.Equal(42, _server.HolderOf(7));
    }

    [Fact]
    public async Task Rate_limit_reset_beyond_the_bound_fails_at_once_saying_until_when()
    {
        var reset = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600);
        _server.Host.FailNext(1, 429, RateLimitBody, RateLimitHeaders(reset));
        using var announcer = Announcer();

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Contains($"rate limited until {reset.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z", ex.Message);
        Assert.Contains("rate_limit_exceeded: limit of 3600 requests per hour reached", ex.Message);
        var inner = Assert.IsType<ProviderApiException>(ex.InnerException);
        Assert.Equal(reset, inner.RateLimitedUntil);
        Assert.Single(_server.ApiRequests);
        Assert.Equal(99, _server.HolderOf(7));
    }

    [Fact]
    public async Task Transient_5xx_is_retried_then_succeeds()
    {
        _server.Host.FailNext(2, 502, "<html>bad gateway</html>");
        using var announcer = Announcer();

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal(42, _server.HolderOf(7));
        Assert.Equal(3, _server.ApiRequests.Count(r => r.Path == "/v1/floating_ips"));
    }

    [Fact]
    public async Task Persistent_5xx_fails_after_bounded_retries_with_a_clear_reason()
    {
        _server.Host.FailNext(100, 503, _server.ErrorBody("unavailable", "service temporarily unavailable"));
        using var announcer = Announcer();

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Equal("hcloud: cannot announce 192.0.2.10: GET /v1/floating_ips failed after 4 attempts: " +
            "503 service unavailable: unavailable: service temporarily unavailable", ex.Message);
        Assert.Equal(4, _server.ApiRequests.Count);
        Assert.Equal(99, _server.HolderOf(7));
    }

    [Fact]
    public async Task Locked_resource_is_retried_until_the_running_action_clears()
    {
        _server.Host.FailNext(1, 200, """{"floating_ips":[{"id":7,"ip":"192.0.2.10","type":"ipv4","server":99}]}""");
        _server.Host.FailNext(2, 423, _server.ErrorBody("locked", "resource is locked by another action"));
        using var announcer = Announcer();

        await announcer.AnnounceAsync(Vip, CancellationToken.None);

        Assert.Equal(3, _server.ApiRequests.Count(r => r.Path == "/v1/floating_ips/7/actions/assign"));
        Assert.Equal(42, _server.HolderOf(7));
    }

    [Fact]
    public async Task Wrong_token_fails_at_once_without_retries()
    {
        using var announcer = HcloudTestSetup.Announcer(
            HcloudTestSetup.Options(_server, token: "hc-not-the-right-one") with { ServerId = 42 });

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Equal("hcloud: cannot announce 192.0.2.10: the API token was rejected (401 unauthorized: unauthorized: unable to authenticate)", ex.Message);
        Assert.Single(_server.ApiRequests);
        Assert.Equal(HttpStatusCode.Unauthorized, Assert.IsType<ProviderApiException>(ex.InnerException).StatusCode);
    }

    [Fact]
    public async Task Not_found_from_the_api_is_not_retried()
    {
        _server.Host.FailNext(1, 404, _server.ErrorBody("not_found", "floating_ip with ID '7' not found"));
        using var announcer = Announcer();

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.Contains("404 not found: not_found: floating_ip with ID '7' not found", ex.Message);
        Assert.Single(_server.ApiRequests);
    }

    [Fact]
    public async Task Unreachable_api_fails_after_bounded_retries()
    {
        var closedPort = new Uri("http://127.0.0.1:1/v1");
        using var announcer = HcloudTestSetup.Announcer(
            HcloudTestSetup.Options(_server) with { ServerId = 42, BaseUrl = closedPort });

        var ex = await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));

        Assert.StartsWith("hcloud: cannot announce 192.0.2.10: GET /v1/floating_ips failed after 4 attempts: could not reach the API", ex.Message);
    }

    [Fact]
    public async Task Cancellation_during_a_rate_limit_wait_stops_at_once()
    {
        var reset = DateTimeOffset.UtcNow.AddSeconds(4);
        _server.Host.FailNext(1, 429, RateLimitBody, RateLimitHeaders(reset));
        using var announcer = Announcer();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => announcer.AnnounceAsync(Vip, cts.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }
}
