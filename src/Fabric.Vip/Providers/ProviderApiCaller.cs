using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Fabric.Vip.Providers;

/// <summary>Sends provider API requests through one retry policy: exponential backoff with jitter on 5xx,
/// network errors and timeouts; on 429 it waits for the advertised reset (bounded by
/// <see cref="ProviderRetryOptions.MaxRateLimitWait"/>); 4xx other than 429 fail at once, because
/// repeating a rejected token or a missing resource only burns rate limit. Every failure becomes a
/// <see cref="ProviderApiException"/> whose text has the token removed.
/// POSTs are retried as well: every write the announcers make states a target ("assign to server 42"), so a
/// duplicate either lands on the same state or is rejected and healed by the next refresh.</summary>
internal sealed class ProviderApiCaller
{
    private readonly string _provider;
    private readonly HttpClient _http;
    private readonly Action<HttpRequestHeaders> _authorize;
    private readonly string? _token;
    private readonly ProviderRetryOptions _retry;
    private readonly TimeProvider _time;
    private readonly Action<string>? _log;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public ProviderApiCaller(
        string provider,
        HttpClient http,
        string? token,
        Action<HttpRequestHeaders> authorize,
        ProviderRetryOptions retry,
        TimeProvider? time = null,
        Action<string>? log = null)
    {
        retry.Validate(provider);
        _provider = provider;
        _http = http;
        _token = token;
        _authorize = authorize;
        _retry = retry;
        _time = time ?? TimeProvider.System;
        _log = log;
        _pipeline = BuildPipeline();
    }

    /// <summary>Authenticated call that returns the decoded JSON body.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, Uri uri, object? body, CancellationToken ct)
    {
        using var response = await SendCoreAsync(method, uri, body, authenticated: true, ct).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, method, uri, ct).ConfigureAwait(false);
    }

    /// <summary>Authenticated call whose response body does not matter (DELETE → 204).</summary>
    public async Task SendAsync(HttpMethod method, Uri uri, object? body, CancellationToken ct)
    {
        using var response = await SendCoreAsync(method, uri, body, authenticated: true, ct).ConfigureAwait(false);
    }

    /// <summary>Unauthenticated GET returning the body as text: metadata services must never see the API token.</summary>
    public async Task<string> GetAnonymousTextAsync(Uri uri, CancellationToken ct)
    {
        using var response = await SendCoreAsync(HttpMethod.Get, uri, null, authenticated: false, ct).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
    }

    public ProviderApiException Fail(string reason, HttpStatusCode? status = null, string? code = null, Exception? inner = null) =>
        new(_provider, ProviderToken.Redact(reason, _token), status,
            code is null ? null : ProviderToken.Redact(code, _token), inner: inner);

    private async Task<HttpResponseMessage> SendCoreAsync(
        HttpMethod method, Uri uri, object? body, bool authenticated, CancellationToken ct)
    {
        var what = $"{method.Method} {uri.AbsolutePath}";
        var attempts = 0;
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var request = new HttpRequestMessage(method, uri);
                if (authenticated)
                    _authorize(request.Headers);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (body is not null)
                    request.Content = JsonContent.Create(body, body.GetType(), options: ProviderJson.Options);
                return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (IsTransientException(ex))
        {
            throw Fail($"{what} failed after {Attempts(attempts)}: {Describe(ex)}", inner: ex);
        }

        if (response.IsSuccessStatusCode)
            return response;

        using (response)
            throw await ToExceptionAsync(response, what, attempts, ct).ConfigureAwait(false);
    }

    private async Task<ProviderApiException> ToExceptionAsync(
        HttpResponseMessage response, string what, int attempts, CancellationToken ct)
    {
        var status = response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var (code, message) = ApiErrorBody.Parse(text);
        var detail = code is null && message is null ? "" : $": {string.Join(": ", new[] { code, message }.Where(s => s is not null))}";
        var statusText = $"{(int)status} {StatusName(status)}";
        DateTimeOffset? rateLimitedUntil = status == HttpStatusCode.TooManyRequests
            ? RateLimitHeaders.ResetTime(response, _time.GetUtcNow())
            : null;

        string reason = status switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"the API token was rejected ({statusText}{detail})",
            HttpStatusCode.TooManyRequests when rateLimitedUntil is { } until =>
                $"rate limited until {until.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({what}, {statusText}{detail})",
            HttpStatusCode.TooManyRequests =>
                $"rate limited ({what}, {statusText}{detail}, {Attempts(attempts)})",
            >= HttpStatusCode.InternalServerError or HttpStatusCode.Locked =>
                $"{what} failed after {Attempts(attempts)}: {statusText}{detail}",
            _ => $"{what} failed: {statusText}{detail}",
        };

        return new ProviderApiException(_provider, ProviderToken.Redact(reason, _token), status,
            code is null ? null : ProviderToken.Redact(code, _token), rateLimitedUntil);
    }

    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, HttpMethod method, Uri uri, CancellationToken ct)
    {
        try
        {
            var value = await response.Content.ReadFromJsonAsync<T>(ProviderJson.Options, ct).ConfigureAwait(false);
            return value ?? throw Fail($"{method.Method} {uri.AbsolutePath} returned an empty body");
        }
        catch (JsonException ex)
        {
            throw Fail($"{method.Method} {uri.AbsolutePath} returned a body that is not the documented JSON ({ex.Message})", inner: ex);
        }
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline()
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _time };
        if (_retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _retry.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _retry.BaseDelay,
                MaxDelay = _retry.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context.CancellationToken)),
                DelayGenerator = args => ValueTask.FromResult(RateLimitDelay(args.Outcome)),
                OnRetry = args =>
                {
                    _log?.Invoke(ProviderToken.Redact(
                        $"{_provider}: attempt {args.AttemptNumber + 1} failed ({DescribeOutcome(args.Outcome)}); retrying in {args.RetryDelay.TotalMilliseconds:0} ms",
                        _token));
                    return default;
                },
            });
        }
        builder.AddTimeout(_retry.AttemptTimeout);
        return builder.Build();
    }

    private bool ShouldRetry(Outcome<HttpResponseMessage> outcome, CancellationToken ct)
    {
        if (outcome.Exception is { } ex)
            return !ct.IsCancellationRequested && IsTransientException(ex);
        var response = outcome.Result!;
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // Waiting beyond the bound would stall the failover; give up now and report the reset time.
            var reset = RateLimitHeaders.ResetTime(response, _time.GetUtcNow());
            return reset is null || reset.Value - _time.GetUtcNow() <= _retry.MaxRateLimitWait;
        }
        // 423 is Hetzner's "locked": another action on the same resource is still running (typically the
        // previous owner's assign); it clears by itself.
        return (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.Locked;
    }

    /// <summary>Null means "use the exponential backoff"; a 429 with a reset time waits exactly until then.</summary>
    private TimeSpan? RateLimitDelay(Outcome<HttpResponseMessage> outcome)
    {
        if (outcome.Result is not { StatusCode: HttpStatusCode.TooManyRequests } response)
            return null;
        var reset = RateLimitHeaders.ResetTime(response, _time.GetUtcNow());
        if (reset is null)
            return null;
        var wait = reset.Value - _time.GetUtcNow();
        // A reset already in the past (clock skew) still gets a short pause rather than an immediate hammer.
        return wait > TimeSpan.Zero ? wait : _retry.BaseDelay;
    }

    private static bool IsTransientException(Exception ex) =>
        ex is HttpRequestException or TimeoutRejectedException
        // HttpClient.Timeout surfaces as a cancellation that nobody asked for.
        || ex is TaskCanceledException { InnerException: TimeoutException };

    private string Describe(Exception ex) => ex switch
    {
        TimeoutRejectedException => $"no response within {_retry.AttemptTimeout.TotalSeconds:0.#} s",
        TaskCanceledException => "the HTTP client timed out",
        HttpRequestException h => $"could not reach the API ({h.HttpRequestError}: {h.Message})",
        _ => ex.Message,
    };

    private string DescribeOutcome(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex ? Describe(ex) : $"{(int)outcome.Result!.StatusCode} {StatusName(outcome.Result.StatusCode)}";

    private static string Attempts(int n) => n == 1 ? "1 attempt" : $"{n} attempts";

    private static string StatusName(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "unauthorized",
        HttpStatusCode.Forbidden => "forbidden",
        HttpStatusCode.NotFound => "not found",
        HttpStatusCode.TooManyRequests => "too many requests",
        HttpStatusCode.InternalServerError => "internal server error",
        HttpStatusCode.BadGateway => "bad gateway",
        HttpStatusCode.ServiceUnavailable => "service unavailable",
        HttpStatusCode.GatewayTimeout => "gateway timeout",
        HttpStatusCode.Locked => "locked",
        // Enum names read "UnprocessableEntity"; the message style is lower case words.
        _ => System.Text.RegularExpressions.Regex.Replace(status.ToString(), "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant(),
    };
}
