using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fabric.Vip.Tests.Providers;

/// <summary>A request as the fake provider saw it.</summary>
public sealed record RecordedRequest(
    string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset At)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
}

/// <summary>Kestrel on 127.0.0.1:0 with request recording, an auth check and injectable faults; the provider
/// fakes add their endpoints on top.</summary>
public sealed class FakeProviderHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, Action<HttpResponse>? Headers, string Body)> _faults = new();

    private FakeProviderHost(WebApplication app) => _app = app;

    public Uri Root { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>API requests only (metadata calls excluded), in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> ApiRequests(string prefix) =>
        Requests.Where(r => r.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    /// <summary>The next <paramref name="count"/> API requests get this response instead of being served.</summary>
    public void FailNext(int count, int status, string body, Action<HttpResponse>? headers = null)
    {
        for (var i = 0; i < count; i++)
            _faults.Enqueue((status, headers, body));
    }

    public static async Task<FakeProviderHost> StartAsync(
        string apiPrefix, Func<HttpRequest, bool> authorized, Func<HttpRequest, string> unauthorizedBody, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var host = new FakeProviderHost(app);

        app.Use(async (ctx, next) =>
        {
            ctx.Request.EnableBuffering();
            var body = await new StreamReader(ctx.Request.Body).ReadToEndAsync();
            ctx.Request.Body.Position = 0;
            host.Requests.Enqueue(new RecordedRequest(
                ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "",
                ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body, DateTimeOffset.UtcNow));

            if (!(ctx.Request.Path.Value ?? "").StartsWith(apiPrefix, StringComparison.Ordinal))
            {
                await next(ctx);
                return;
            }
            if (!authorized(ctx.Request))
            {
                await Write(ctx.Response, 401, unauthorizedBody(ctx.Request));
                return;
            }
            if (host._faults.TryDequeue(out var fault))
            {
                fault.Headers?.Invoke(ctx.Response);
                await Write(ctx.Response, fault.Status, fault.Body);
                return;
            }
            await next(ctx);
        });
        map(app);

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        host.Root = new Uri(address);
        return host;
    }

    public static Task Write(HttpResponse response, int status, string json)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        return response.WriteAsync(json);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
