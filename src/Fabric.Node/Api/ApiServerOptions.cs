namespace Fabric.Node.Api;

public sealed record ApiServerOptions
{
    /// <summary>Port 0 picks a free port; <see cref="ApiServer.BoundEndpoint"/> tells which.</summary>
    public ApiEndpoint Listen { get; init; } = ApiEndpoint.Default;
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Batches of changes a watch may have queued for a slow client before the server ends that watch.</summary>
    public int WatchBacklog { get; init; } = 256;
    public long MaxConfigBytes { get; init; } = 1 << 20;
    /// <summary>The agent routes ASP.NET Core's logs where its own go; by default only warnings reach the console.</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? ConfigureLogging { get; init; }
}

/// <summary>What the route handlers need, captured once when the server is built.</summary>
internal sealed record ApiContext(
    Akka.Actor.ActorSystem System,
    Akka.Actor.IActorRef Store,
    string NodeName,
    IConfigApplier Applier,
    ApiServerOptions Options,
    CancellationToken Stopping);
