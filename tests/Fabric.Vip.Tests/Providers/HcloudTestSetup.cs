using Fabric.Vip.Hcloud;
using Fabric.Vip.Providers;

namespace Fabric.Vip.Tests.Providers;

/// <summary>Options that keep the tests in milliseconds: short polls, short backoff, bounded waits.</summary>
internal static class HcloudTestSetup
{
    public static readonly ProviderRetryOptions FastRetry = new()
    {
        MaxAttempts = 4,
        BaseDelay = TimeSpan.FromMilliseconds(10),
        MaxDelay = TimeSpan.FromMilliseconds(40),
        MaxRateLimitWait = TimeSpan.FromSeconds(5),
        AttemptTimeout = TimeSpan.FromSeconds(5),
    };

    public static HcloudOptions Options(FakeHcloudServer server, string? token = FakeHcloudServer.Token) => new()
    {
        BaseUrl = server.BaseUrl,
        MetadataUrl = server.MetadataUrl,
        Token = token,
        ActionPollInterval = TimeSpan.FromMilliseconds(10),
        ActionTimeout = TimeSpan.FromSeconds(3),
        Retry = FastRetry,
    };

    /// <summary>An announcer that never looks at the real process environment.</summary>
    public static HcloudAnnouncer Announcer(HcloudOptions options, List<string>? log = null) =>
        new(options, getEnv: _ => null, log: log is null ? null : m => { lock (log) log.Add(m); });
}
