using System.Globalization;
using System.Net.Http.Headers;

namespace Fabric.Vip.Providers;

/// <summary>When a 429 says we may try again: <c>RateLimit-Reset</c> (Hetzner: unix seconds) wins, then
/// <c>Retry-After</c> (seconds or an HTTP date). Null when the response gives no hint.</summary>
internal static class RateLimitHeaders
{
    public static DateTimeOffset? ResetTime(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.TryGetValues("RateLimit-Reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var unix))
        {
            // Some APIs (IETF draft) send delta seconds instead of an epoch; a small number cannot be a
            // timestamp in this century, so read it as a delta.
            return unix < 1_000_000_000 ? now.AddSeconds(unix) : DateTimeOffset.FromUnixTimeSeconds(unix);
        }

        RetryConditionHeaderValue? retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
            return now + delta;
        if (retryAfter?.Date is { } date)
            return date;
        return null;
    }
}
