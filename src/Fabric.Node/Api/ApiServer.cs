using System.Net;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fabric.Node.Api;

/// <summary>The node API: resources, watches, config apply and health over HTTP/JSON on one host:port.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly ActorSystem system;
    private readonly IActorRef store;
    private readonly string nodeName;
    private readonly IConfigApplier applier;
    private readonly ApiServerOptions options;
    private WebApplication? app;

    public ApiServer(ActorSystem system, IActorRef store, string nodeName, IConfigApplier applier, ApiServerOptions? options = null)
    {
        this.system = system;
        this.store = store;
        this.nodeName = nodeName;
        this.applier = applier;
        this.options = options ?? new ApiServerOptions();
    }

    /// <summary>Where the server listens once started; the real port when <see cref="ApiServerOptions.Listen"/> had port 0.</summary>
    public ApiEndpoint? BoundEndpoint { get; private set; }

    public async Task StartAsync(CancellationToken ct = default)
    {
        if (app is not null) throw new InvalidOperationException("the API server is already started");
        var address = await ResolveAsync(options.Listen.Host, ct);

        // Fixed environment and content root: the agent's working directory or ASPNETCORE_ENVIRONMENT must not turn on
        // developer pages or pull in an appsettings.json that adds endpoints.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        options.ConfigureLogging?.Invoke(builder.Logging);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxConfigBytes;
            kestrel.Listen(address, options.Listen.Port);
        });
        // Open watches end on ApplicationStopping, so a long shutdown grace period would only hide bugs.
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(5));

        var built = builder.Build();
        var api = new ApiContext(system, store, nodeName, applier, options, built.Lifetime.ApplicationStopping);
        built.Use(RespondToUnhandled);
        ResourceRoutes.Map(built, api);
        WatchRoute.Map(built, api);
        ConfigRoute.Map(built, api);
        HealthRoute.Map(built, api);
        built.MapFallback(() => ApiResults.NotFound("no such API route"));

        try
        {
            await built.StartAsync(ct);
        }
        catch
        {
            // A port already in use fails here; release what the builder made before reporting it.
            await built.DisposeAsync();
            throw;
        }
        app = built;
        BoundEndpoint = BoundFrom(built);
    }

    public async Task StopAsync(CancellationToken ct = default)
    {
        if (app is null) return;
        var stopping = app;
        app = null;
        await stopping.StopAsync(ct);
        await stopping.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static async Task<IPAddress> ResolveAsync(string host, CancellationToken ct)
    {
        if (IPAddress.TryParse(host, out var ip)) return ip;
        if (host is "*" or "") return IPAddress.Any;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        var addresses = await Dns.GetHostAddressesAsync(host, ct);
        return addresses.Length > 0 ? addresses[0] : throw new InvalidOperationException($"cannot resolve the API listen host \"{host}\"");
    }

    private static ApiEndpoint BoundFrom(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no bound address");
        var uri = new Uri(first);
        return new ApiEndpoint(uri.Host.Trim('[', ']'), uri.Port);
    }

    // A route that throws must still answer in the API's shape, and without the stack trace the default page would show.
    private static async Task RespondToUnhandled(HttpContext ctx, RequestDelegate next)
    {
        try
        {
            await next(ctx);
        }
        catch (Exception e) when (!ctx.Response.HasStarted && !ctx.RequestAborted.IsCancellationRequested)
        {
            ctx.Response.Clear();
            await ApiResults.Error(StatusCodes.Status500InternalServerError, $"internal error: {e.Message}").ExecuteAsync(ctx);
        }
    }
}
