using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fabric.Node.Api;

/// <summary>GET /v1/watch/{type}[/{id}]: NDJSON, the snapshot as "created" lines, a "bootstrapped" line, then every
/// change as the store applies it. Ends when the client goes away or the server stops.</summary>
internal static class WatchRoute
{
    private static readonly byte[] Newline = "\n"u8.ToArray();

    public static void Map(IEndpointRouteBuilder routes, ApiContext api) =>
        routes.MapGet("/v1/watch/{type}/{**id}", (HttpContext ctx, string type, string? id) => Stream(ctx, api, type, id));

    private static async Task Stream(HttpContext ctx, ApiContext api, string alias, string? id)
    {
        string? ns = ctx.Request.Query["namespace"];
        if (!ResourceKinds.TryResolve(alias, ns, out _, out var kind, out var error))
        {
            await error.ExecuteAsync(ctx);
            return;
        }

        var channel = Channel.CreateBounded<IReadOnlyList<WatchLine>>(new BoundedChannelOptions(api.Options.WatchBacklog)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var done = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, api.Stopping);
        var forwarder = api.System.ActorOf(WatchForwarder.Props(api.Store, kind, string.IsNullOrEmpty(id) ? null : id, channel.Writer));
        try
        {
            ctx.Response.ContentType = "application/x-ndjson";
            ctx.Response.Headers.CacheControl = "no-cache";
            await ctx.Response.StartAsync(done.Token);
            try
            {
                await foreach (var batch in channel.Reader.ReadAllAsync(done.Token))
                {
                    foreach (var line in batch) await Write(ctx, line, done.Token);
                    await ctx.Response.Body.FlushAsync(done.Token);
                }
            }
            catch (Exception e) when (e is WatchEndedException || e.InnerException is WatchEndedException)
            {
                var reason = e as WatchEndedException ?? (WatchEndedException)e.InnerException!;
                await Write(ctx, new WatchLine(WatchLine.Failed, Error: reason.Message), done.Token);
                await ctx.Response.Body.FlushAsync(done.Token);
            }
        }
        catch (OperationCanceledException) when (done.IsCancellationRequested)
        {
            // Client gone or server stopping: the end of a watch, not an error.
        }
        finally
        {
            api.System.Stop(forwarder);
        }
    }

    private static async Task Write(HttpContext ctx, WatchLine line, CancellationToken ct)
    {
        await ctx.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(line, ApiJson.Options), ct);
        await ctx.Response.Body.WriteAsync(Newline, ct);
    }
}
