using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Fabric.Vip.Tests.LoadBalancer.Sources.ApiServer;

/// <summary>Just enough of a Kubernetes API server for the source: list with a resourceVersion, watch from a
/// resourceVersion (newline-delimited events, bookmarks when asked), 410 Gone for versions older than the last
/// compaction (as a watch ERROR event, or an HTTP 410 when <see cref="GoneAsHttpStatus"/>), the services status
/// subresource and Events. One global resourceVersion counter, as etcd has. Every collection is served across all
/// namespaces and, like a real API server, per namespace (`.../namespaces/{ns}/{plural}`), which lists, replays and
/// sends only that namespace's objects.</summary>
public sealed class FakeKubernetesApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    // A test double: Kestrel runs handlers concurrently and the test thread mutates objects, so one lock keeps
    // every collection, its history and the watcher registrations consistent with the counter.
    private readonly object _gate = new();
    private readonly Dictionary<string, ObjectCollection> _collections = new();
    private long _resourceVersion = 1000;

    /// <summary>The scope <see cref="Lists(string, string)"/> and <see cref="Watches(string, string)"/> count for
    /// requests across all namespaces.</summary>
    public const string AllNamespaces = "*";

    public bool GoneAsHttpStatus { get; set; }
    /// <summary>Resources answered 404 Not Found, as for a CustomResourceDefinition that is not installed.</summary>
    public ConcurrentDictionary<string, bool> Absent { get; } = new();
    public ConcurrentQueue<(string Namespace, string Name, string Method, JsonNode Body)> StatusWrites { get; } = new();
    public ConcurrentQueue<JsonObject> Events { get; } = new();
    public string Url { get; private set; } = "";

    /// <summary>A kubeconfig that points the official client at this server with a bearer token.</summary>
    public void WriteKubeconfig(string path) => File.WriteAllText(path, $$"""
        apiVersion: v1
        kind: Config
        clusters:
          - name: test
            cluster: {server: "{{Url}}"}
        users:
          - name: test
            user: {token: test}
        contexts:
          - name: test
            context: {cluster: test, user: test}
        current-context: test
        """);

    public FakeKubernetesApiServer()
    {
        Add("services", "/api/v1/services", "v1", "ServiceList");
        Add("endpointslices", "/apis/discovery.k8s.io/v1/endpointslices", "discovery.k8s.io/v1", "EndpointSliceList");
        Add("ipaddresspools", "/apis/metallb.io/v1beta1/ipaddresspools", "metallb.io/v1beta1", "IPAddressPoolList");
        Add("l2advertisements", "/apis/metallb.io/v1beta1/l2advertisements", "metallb.io/v1beta1", "L2AdvertisementList");
        Add("bgpadvertisements", "/apis/metallb.io/v1beta1/bgpadvertisements", "metallb.io/v1beta1", "BGPAdvertisementList");
        Add("communities", "/apis/metallb.io/v1beta1/communities", "metallb.io/v1beta1", "CommunityList");
        Add("bgppeers", "/apis/metallb.io/v1beta2/bgppeers", "metallb.io/v1beta2", "BGPPeerList");

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        foreach (var collection in _collections.Values)
        {
            _app.MapGet(collection.Path, (HttpContext ctx) => ListOrWatch(collection, ctx, null));
            _app.MapGet(collection.NamespacedPath, (HttpContext ctx, string ns) => ListOrWatch(collection, ctx, ns));
        }
        _app.MapMethods("/api/v1/namespaces/{ns}/services/{name}/status", ["PATCH", "PUT"],
            (HttpContext ctx, string ns, string name) => WriteStatus(ctx, ns, name));
        _app.MapPost("/api/v1/namespaces/{ns}/events", (HttpContext ctx, string ns) => CreateEvent(ctx, ns));
    }

    public async Task StartAsync()
    {
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public int Lists(string resource) { lock (_gate) return _collections[resource].Lists.Values.Sum(); }
    public int Watches(string resource) { lock (_gate) return _collections[resource].Watches.Values.Sum(); }
    /// <summary>Lists of one namespace, or of all with <see cref="AllNamespaces"/>.</summary>
    public int Lists(string resource, string scope) { lock (_gate) return _collections[resource].Lists.GetValueOrDefault(scope); }
    public int Watches(string resource, string scope) { lock (_gate) return _collections[resource].Watches.GetValueOrDefault(scope); }

    /// <summary>Creates or replaces an object. Silent changes are recorded in the history (a later watch from an
    /// older version replays them) but not sent to open watches: as if the events were lost.</summary>
    public void Put(string resource, JsonObject obj, bool silent = false)
    {
        lock (_gate)
        {
            var collection = _collections[resource];
            var key = KeyOf(obj);
            obj["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString();
            var type = collection.Objects.ContainsKey(key) ? "MODIFIED" : "ADDED";
            collection.Objects[key] = obj;
            Record(collection, type, obj, silent);
        }
    }

    public void Delete(string resource, string ns, string name, bool silent = false)
    {
        lock (_gate)
        {
            var collection = _collections[resource];
            if (!collection.Objects.Remove($"{ns}/{name}", out var obj)) return;
            obj = (JsonObject)obj.DeepClone();
            obj["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString();
            Record(collection, "DELETED", obj, silent);
        }
    }

    public JsonObject? Get(string resource, string ns, string name)
    {
        lock (_gate) return _collections[resource].Objects.GetValueOrDefault($"{ns}/{name}")?.DeepClone().AsObject();
    }

    /// <summary>Forgets history: a watch from any version older than now gets 410 Gone.</summary>
    public void Compact()
    {
        lock (_gate)
            foreach (var c in _collections.Values) { c.CompactedAt = _resourceVersion; c.History.Clear(); }
    }

    /// <summary>Ends every open watch, as an API server restart or a load balancer timeout would.</summary>
    public void DropWatches()
    {
        lock (_gate)
            foreach (var c in _collections.Values) { foreach (var w in c.Watchers) w.Channel.Writer.TryComplete(); c.Watchers.Clear(); }
    }

    /// <summary>Compacts, then tells every open watch its version expired (a 410 ERROR event) and ends it.</summary>
    public void ExpireWatches()
    {
        lock (_gate)
        {
            foreach (var c in _collections.Values)
            {
                c.CompactedAt = _resourceVersion;
                c.History.Clear();
                foreach (var w in c.Watchers) { w.Channel.Writer.TryWrite(GoneEvent()); w.Channel.Writer.TryComplete(); }
                c.Watchers.Clear();
            }
        }
    }

    /// <summary>Tells watches that asked for bookmarks the current version.</summary>
    public void SendBookmarks()
    {
        lock (_gate)
            foreach (var c in _collections.Values)
                foreach (var w in c.Watchers.Where(w => w.Bookmarks))
                    w.Channel.Writer.TryWrite(new JsonObject
                    {
                        ["type"] = "BOOKMARK",
                        ["object"] = new JsonObject
                        {
                            ["kind"] = c.ListKind[..^"List".Length], ["apiVersion"] = c.ApiVersion,
                            ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString() },
                        },
                    }.ToJsonString());
    }

    private void Add(string resource, string path, string apiVersion, string listKind) =>
        _collections[resource] = new ObjectCollection(resource, path, apiVersion, listKind);

    private static string KeyOf(JsonObject obj) => $"{NamespaceOf(obj)}/{obj["metadata"]!["name"]}";
    private static string NamespaceOf(JsonObject obj) => obj["metadata"]!["namespace"]?.GetValue<string>() ?? "";

    private static void Record(ObjectCollection collection, string type, JsonObject obj, bool silent)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();
        var ns = NamespaceOf(obj);
        collection.History.Add((long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>()), ns, line));
        if (silent) return;
        foreach (var w in collection.Watchers.Where(w => w.Sees(ns))) w.Channel.Writer.TryWrite(line);
    }

    private static string GoneEvent() => new JsonObject { ["type"] = "ERROR", ["object"] = GoneStatus() }.ToJsonString();

    private static JsonObject GoneStatus() => new()
    {
        ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
        ["message"] = "too old resource version", ["reason"] = "Expired", ["code"] = 410,
    };

    /// <param name="ns">The namespace asked for; null across all namespaces.</param>
    private async Task ListOrWatch(ObjectCollection collection, HttpContext ctx, string? ns)
    {
        var scope = ns ?? AllNamespaces;
        if (Absent.ContainsKey(collection.Resource))
        {
            lock (_gate) collection.Count(collection.Lists, scope);
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(new JsonObject
            {
                ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(), ["status"] = "Failure",
                ["message"] = "the server could not find the requested resource", ["reason"] = "NotFound", ["code"] = 404,
            }.ToJsonString());
            return;
        }
        // The official client asks `watch=true`; kubectl and curl users write `watch=1`.
        if (ctx.Request.Query["watch"] is ["true"] or ["1"]) { await Watch(collection, ctx, ns); return; }
        JsonObject list;
        lock (_gate)
        {
            collection.Count(collection.Lists, scope);
            list = new JsonObject
            {
                ["kind"] = collection.ListKind, ["apiVersion"] = collection.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = _resourceVersion.ToString() },
                ["items"] = new JsonArray(collection.Objects.Values.Where(o => ns is null || NamespaceOf(o) == ns).OrderBy(KeyOf, StringComparer.Ordinal).Select(o => (JsonNode)o.DeepClone()).ToArray()),
            };
        }
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(list.ToJsonString());
    }

    private async Task Watch(ObjectCollection collection, HttpContext ctx, string? ns)
    {
        var from = long.TryParse(ctx.Request.Query["resourceVersion"], out var v) ? v : 0;
        Watcher? watcher = null;
        lock (_gate)
        {
            collection.Count(collection.Watches, ns ?? AllNamespaces);
            if (from >= collection.CompactedAt)
            {
                var opened = new Watcher(Channel.CreateUnbounded<string>(), ctx.Request.Query["allowWatchBookmarks"] == "true", ns);
                foreach (var (_, _, line) in collection.History.Where(h => h.ResourceVersion > from && opened.Sees(h.Namespace)))
                    opened.Channel.Writer.TryWrite(line);
                collection.Watchers.Add(opened);
                watcher = opened;
            }
        }
        if (watcher is null && GoneAsHttpStatus)
        {
            ctx.Response.StatusCode = StatusCodes.Status410Gone;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(GoneStatus().ToJsonString());
            return;
        }
        ctx.Response.ContentType = "application/json";
        if (watcher is null)
        {
            await ctx.Response.WriteAsync(GoneEvent() + "\n");
            return;
        }
        await ctx.Response.Body.FlushAsync();
        // Open watches would otherwise hold the server's shutdown until its timeout.
        using var end = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted,
            _app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        try
        {
            await foreach (var line in watcher.Channel.Reader.ReadAllAsync(end.Token))
            {
                await ctx.Response.WriteAsync(line + "\n");
                await ctx.Response.Body.FlushAsync();
            }
        }
        catch (OperationCanceledException) { }
        finally
        {
            lock (_gate) collection.Watchers.Remove(watcher);
        }
    }

    private async Task<IResult> WriteStatus(HttpContext ctx, string ns, string name)
    {
        var body = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync())!;
        StatusWrites.Enqueue((ns, name, ctx.Request.Method, body));
        lock (_gate)
        {
            var collection = _collections["services"];
            if (!collection.Objects.TryGetValue($"{ns}/{name}", out var current)) return Results.NotFound();
            var updated = current.DeepClone().AsObject();
            // The status subresource takes only the status; a merge patch replaces the lists it names.
            updated["status"] = body["status"]?.DeepClone() ?? new JsonObject();
            updated["metadata"]!["resourceVersion"] = (++_resourceVersion).ToString();
            collection.Objects[$"{ns}/{name}"] = updated;
            Record(collection, "MODIFIED", updated, silent: false);
            return Results.Text(updated.ToJsonString(), "application/json");
        }
    }

    private async Task<IResult> CreateEvent(HttpContext ctx, string ns)
    {
        var body = JsonNode.Parse(await new StreamReader(ctx.Request.Body).ReadToEndAsync())!.AsObject();
        lock (_gate)
        {
            body["metadata"]!["name"] = $"{body["metadata"]!["generateName"]}{++_resourceVersion:x}";
            body["metadata"]!["namespace"] = ns;
        }
        Events.Enqueue(body);
        return Results.Text(body.ToJsonString(), "application/json", statusCode: StatusCodes.Status201Created);
    }

    public async ValueTask DisposeAsync()
    {
        DropWatches();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <param name="Namespace">The one namespace watched; null for all.</param>
    private sealed record Watcher(Channel<string> Channel, bool Bookmarks, string? Namespace)
    {
        public bool Sees(string ns) => Namespace is null || Namespace == ns;
    }

    private sealed class ObjectCollection(string resource, string path, string apiVersion, string listKind)
    {
        public string Resource { get; } = resource;
        public string Path { get; } = path;
        /// <summary>The same collection in one namespace: `namespaces/{ns}/` before the plural.</summary>
        public string NamespacedPath { get; } = path.Insert(path.LastIndexOf('/') + 1, "namespaces/{ns}/");
        public string ApiVersion { get; } = apiVersion;
        public string ListKind { get; } = listKind;
        public Dictionary<string, JsonObject> Objects { get; } = new();
        public List<(long ResourceVersion, string Namespace, string Line)> History { get; } = [];
        public List<Watcher> Watchers { get; } = [];
        public long CompactedAt { get; set; }
        /// <summary>Requests by scope: a namespace, or <see cref="AllNamespaces"/>.</summary>
        public Dictionary<string, int> Lists { get; } = new();
        public Dictionary<string, int> Watches { get; } = new();

        public void Count(Dictionary<string, int> requests, string scope) => requests[scope] = requests.GetValueOrDefault(scope) + 1;
    }
}
