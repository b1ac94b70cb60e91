using System.Net;

namespace Fabric.Vip.Providers;

/// <summary>A provider API call that failed for good (after retries where retrying made sense).
/// <see cref="Reason"/> is operator-readable and never contains the API token; announcers wrap it into an
/// <see cref="AnnounceException"/> that adds what was being attempted.</summary>
public sealed class ProviderApiException(
    string provider,
    string reason,
    HttpStatusCode? statusCode = null,
    string? errorCode = null,
    DateTimeOffset? rateLimitedUntil = null,
    Exception? inner = null)
    : Exception($"{provider}: {reason}", inner)
{
    public string Provider { get; } = provider;

    /// <summary>The failure without the provider prefix, for composing into a larger message.</summary>
    public string Reason { get; } = reason;

    /// <summary>HTTP status of the last attempt; null when no response arrived (network error, timeout).</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    /// <summary>Provider error code from the body (hcloud: "not_found", "locked", …), when there was one.</summary>
    public string? ErrorCode { get; } = errorCode;

    /// <summary>Set when the call failed because of the rate limit: the moment the provider lets us in again.</summary>
    public DateTimeOffset? RateLimitedUntil { get; } = rateLimitedUntil;

    public bool IsNotFound => StatusCode == HttpStatusCode.NotFound;
}
