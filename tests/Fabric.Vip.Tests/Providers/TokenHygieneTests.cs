using System.Globalization;
using System.Net;
using Fabric.Vip.EquinixMetal;
using Fabric.Vip.Hcloud;

namespace Fabric.Vip.Tests.Providers;

/// <summary>Drives every failure path with a fake that quotes the token back in its error bodies, and checks
/// that neither exception texts (the whole chain, stack traces included) nor log lines contain it.</summary>
public sealed class TokenHygieneTests : IAsyncLifetime
{
    private static readonly VipAnnouncement Vip = new(IPAddress.Parse("192.0.2.10"), "eth0", 1);
    private FakeHcloudServer _hcloud = null!;
    private FakeEquinixMetalServer _metal = null!;
    private readonly List<string> _log = [];

    public async Task InitializeAsync()
    {
        _hcloud = await FakeHcloudServer.StartAsync();
        _hcloud.EchoCredentialsInErrors = true;
        _hcloud.AddServer(42, 1);
        _hcloud.AddServer(99, 1);
        _metal = await FakeEquinixMetalServer.StartAsync();
        _metal.EchoCredentialsInErrors = true;
        _metal.AddReservation("res-1", "192.0.2.8", 29);
    }

    public async Task DisposeAsync()
    {
        await _hcloud.DisposeAsync();
        await _metal.DisposeAsync();
    }

    private static void AssertClean(Exception ex, string secret)
    {
        Assert.DoesNotContain(secret, ex.ToString());
        for (var e = ex; e is not null; e = e.InnerException)
            Assert.DoesNotContain(secret, e.Message);
    }

    private void AssertLogClean(string secret)
    {
        lock (_log)
            Assert.All(_log, line => Assert.DoesNotContain(secret, line));
    }

    private HcloudAnnouncer Hcloud(Func<HcloudOptions, HcloudOptions>? tweak = null, string token = FakeHcloudServer.Token)
    {
        var options = HcloudTestSetup.Options(_hcloud, token) with { ServerId = 42 };
        return HcloudTestSetup.Announcer(tweak?.Invoke(options) ?? options, _log);
    }

    private async Task<AnnounceException> FailsHcloud(HcloudAnnouncer announcer)
    {
        using (announcer)
            return await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(Vip, CancellationToken.None));
    }

    [Fact]
    public async Task Hcloud_rejected_token_echoed_by_the_api_is_redacted()
    {
        const string wrong = "hc-WRONG-91b2d8e0aa";
        var ex = await FailsHcloud(Hcloud(token: wrong));

        Assert.Contains("[redacted]", ex.Message);
        AssertClean(ex, wrong);
    }

    [Fact]
    public async Task Hcloud_every_error_path_keeps_the_token_out()
    {
        var secret = FakeHcloudServer.Token;
        var echo = _hcloud.ErrorBody("echo", $"request had Authorization: Bearer {secret}");
        var failures = new List<AnnounceException>();

        _hcloud.AddFloatingIp(7, "192.0.2.10", server: 99);
        _hcloud.RunningPolls = 0;

        // Exactly MaxAttempts failures, so that the fault queue is empty for the next case.
        _hcloud.Host.FailNext(HcloudTestSetup.FastRetry.MaxAttempts, 500, echo);
        failures.Add(await FailsHcloud(Hcloud()));

        var reset = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        _hcloud.Host.FailNext(1, 429, echo, r => r.Headers["RateLimit-Reset"] = reset);
        failures.Add(await FailsHcloud(Hcloud()));

        _hcloud.Host.FailNext(1, 404, echo);
        failures.Add(await FailsHcloud(Hcloud()));

        _hcloud.Host.FailNext(1, 422, echo);
        failures.Add(await FailsHcloud(Hcloud()));

        _hcloud.NextActionError = ("echo", $"token {secret} is not allowed");
        failures.Add(await FailsHcloud(Hcloud()));

        _hcloud.RunningPolls = int.MaxValue;
        failures.Add(await FailsHcloud(Hcloud(o => o with { ActionTimeout = TimeSpan.FromMilliseconds(50) })));

        failures.Add(await FailsHcloud(Hcloud(o => o with { BaseUrl = new Uri("http://127.0.0.1:1/v1") })));
        failures.Add(await FailsHcloud(Hcloud(o => o with { ServerId = null, MetadataUrl = new Uri(_hcloud.Host.Root, "/nothing-here") })));
        failures.Add(await FailsHcloud(Hcloud(o => o with { NetworkId = 77 })));

        Assert.Equal(9, failures.Count);
        // The echoing fake really put the token into five of the responses; it must have been scrubbed.
        Assert.Equal(5, failures.Count(f => f.Message.Contains("[redacted]")));
        Assert.All(failures, ex => AssertClean(ex, secret));
        AssertLogClean(secret);
        Assert.NotEmpty(_log);
    }

    [Fact]
    public async Task Equinix_every_error_path_keeps_the_token_out()
    {
        var secret = FakeEquinixMetalServer.Token;
        var echo = FakeEquinixMetalServer.ErrorBody($"X-Auth-Token {secret} was used");
        var options = new EquinixMetalOptions
        {
            BaseUrl = _metal.BaseUrl, MetadataUrl = _metal.MetadataUrl, Token = secret, Retry = HcloudTestSetup.FastRetry,
        };
        async Task<AnnounceException> Fails(EquinixMetalOptions o, VipAnnouncement? vip = null)
        {
            using var announcer = new EquinixMetalAnnouncer(o, getEnv: _ => null, log: m => { lock (_log) _log.Add(m); });
            return await Assert.ThrowsAsync<AnnounceException>(() => announcer.AnnounceAsync(vip ?? Vip, CancellationToken.None));
        }

        var failures = new List<AnnounceException>
        {
            await Fails(options with { Token = "em-WRONG-0042" }),
        };
        AssertClean(failures[0], "em-WRONG-0042");

        _metal.Host.FailNext(4, 503, echo);
        failures.Add(await Fails(options));
        _metal.Host.FailNext(1, 404, echo);
        failures.Add(await Fails(options));
        failures.Add(await Fails(options with { DeviceId = "dev-gone" }));
        failures.Add(await Fails(options, Vip with { Ip = IPAddress.Parse("203.0.113.1") }));
        failures.Add(await Fails(options with { BaseUrl = new Uri("http://127.0.0.1:1/metal/v1") }));
        failures.Add(await Fails(options with { MetadataUrl = new Uri(_metal.Host.Root, "/nothing-here") }));

        Assert.Equal(2, failures.Count(f => f.Message.Contains("[redacted]")));
        Assert.All(failures, ex => AssertClean(ex, secret));
        AssertLogClean(secret);
    }

    [Fact]
    public void Options_ToString_never_prints_the_token()
    {
        var hcloud = new HcloudOptions { Token = FakeHcloudServer.Token, ServerId = 42 };
        var metal = new EquinixMetalOptions { Token = FakeEquinixMetalServer.Token };

        Assert.DoesNotContain(FakeHcloudServer.Token, hcloud.ToString());
        Assert.Contains("Token = [redacted]", hcloud.ToString());
        Assert.Contains("ServerId = 42", hcloud.ToString());
        Assert.DoesNotContain(FakeEquinixMetalServer.Token, metal.ToString());
        Assert.Contains("Token = [redacted]", metal.ToString());
        Assert.Contains("Token = (none)", new HcloudOptions().ToString());
    }
}
