namespace Fabric.Vip.Providers;

/// <summary>How hard a provider client tries before giving up. Defaults suit a failover path: a takeover
/// that has not happened after about a minute is better reported than retried forever, because the
/// lease loop will call again on the next refresh anyway.</summary>
public sealed record ProviderRetryOptions
{
    /// <summary>Total attempts per API call, the first one included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>First backoff delay; doubles per attempt, with jitter so that nodes retrying after the same
    /// provider hiccup do not hit the API in lockstep.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound of one backoff delay.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest wait for a rate-limit reset. A reset further away fails the call at once with
    /// "rate limited until …" instead of blocking the failover for an hour.</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time limit of one HTTP attempt.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(15);

    internal void Validate(string provider)
    {
        if (MaxAttempts < 1)
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), $"{provider}: MaxAttempts must be at least 1");
        if (BaseDelay < TimeSpan.Zero || MaxDelay < TimeSpan.Zero || MaxRateLimitWait < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(BaseDelay), $"{provider}: retry delays must not be negative");
        if (AttemptTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(AttemptTimeout), $"{provider}: AttemptTimeout must be positive");
    }
}
