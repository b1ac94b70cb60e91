namespace Fabric.Vip.Providers;

/// <summary>The HTTP client an announcer creates when none is injected.</summary>
internal static class ProviderHttp
{
    public static HttpClient Create() =>
        new(new SocketsHttpHandler
        {
            // Failover may come hours after start-up; recycle connections so a changed API address is picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            // Attempts are timed by the retry pipeline, which can tell a timeout from a cancellation.
            Timeout = Timeout.InfiniteTimeSpan,
        };
}
