using System.Globalization;
using System.Net;
using Fabric.Actors.Config;
using Fabric.Vip.EquinixMetal;
using Fabric.Vip.Hcloud;
using Fabric.Vip.Providers;

namespace Fabric.Vip.Tests.Providers;

public sealed class ProviderPartsTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static HttpResponseMessage TooMany(Action<HttpResponseMessage> headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        headers(response);
        return response;
    }

    [Fact]
    public void RateLimit_Reset_is_read_as_unix_seconds()
    {
        var reset = Now.AddSeconds(90);
        using var response = TooMany(r => r.Headers.Add("RateLimit-Reset", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        Assert.Equal(reset, RateLimitHeaders.ResetTime(response, Now));
    }

    [Fact]
    public void Small_RateLimit_Reset_is_a_delta()
    {
        using var response = TooMany(r => r.Headers.Add("RateLimit-Reset", "30"));
        Assert.Equal(Now.AddSeconds(30), RateLimitHeaders.ResetTime(response, Now));
    }

    [Fact]
    public void Retry_After_seconds_and_dates_are_understood()
    {
        using var seconds = TooMany(r => r.Headers.Add("Retry-After", "12"));
        using var date = TooMany(r => r.Headers.Add("Retry-After", Now.AddMinutes(2).ToString("R")));
        using var none = TooMany(_ => { });
        Assert.Equal(Now.AddSeconds(12), RateLimitHeaders.ResetTime(seconds, Now));
        Assert.Equal(Now.AddMinutes(2), RateLimitHeaders.ResetTime(date, Now));
        Assert.Null(RateLimitHeaders.ResetTime(none, Now));
    }

    [Theory]
    [InlineData("""{"error":{"code":"locked","message":"resource is locked","details":{}}}""", "locked", "resource is locked")]
    [InlineData("""{"errors":["Not found","really"]}""", null, "Not found; really")]
    [InlineData("""{"error":"plain"}""", null, "plain")]
    [InlineData("<html>502</html>", null, null)]
    [InlineData("", null, null)]
    public void Error_bodies_of_both_providers_are_parsed(string body, string? code, string? message) =>
        Assert.Equal((code, message), ApiErrorBody.Parse(body));

    [Fact]
    public void Config_token_wins_over_the_environment()
    {
        var env = new Dictionary<string, string> { ["HCLOUD_TOKEN"] = "from-env", ["PACKET_AUTH_TOKEN"] = "packet" };
        Assert.Equal("from-config", new HcloudOptions { Token = "from-config" }.ResolveToken(env.GetValueOrDefault));
        Assert.Equal("from-env", new HcloudOptions().ResolveToken(env.GetValueOrDefault));
        Assert.Equal("packet", new EquinixMetalOptions().ResolveToken(env.GetValueOrDefault));
        Assert.Null(new HcloudOptions().ResolveToken(_ => null));
    }

    [Fact]
    public void Factory_maps_the_config_announcer_kind()
    {
        var ip = IPAddress.Parse("192.0.2.10");
        using var hcloud = ProviderAnnouncers.Create(new VipDefinition { Ip = ip, Announcer = VipAnnouncer.HetznerCloud, ApiToken = "t" });
        using var metal = ProviderAnnouncers.Create(new VipDefinition { Ip = ip, Announcer = VipAnnouncer.EquinixMetal, ApiToken = "t" });
        Assert.Equal("hcloud", Assert.IsType<HcloudAnnouncer>(hcloud).Name);
        Assert.Equal("equinix-metal", Assert.IsType<EquinixMetalAnnouncer>(metal).Name);
        Assert.Null(ProviderAnnouncers.Create(new VipDefinition { Ip = ip }));
    }

    [Fact]
    public void Invalid_retry_settings_are_refused()
    {
        var options = new HcloudOptions { Token = "t", Retry = new ProviderRetryOptions { MaxAttempts = 0 } };
        Assert.Throws<ArgumentOutOfRangeException>(() => new HcloudAnnouncer(options));
    }
}
