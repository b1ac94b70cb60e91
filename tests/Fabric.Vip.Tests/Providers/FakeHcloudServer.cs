using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fabric.Vip.Tests.Providers;

/// <summary>The documented Hetzner Cloud endpoints over in-memory state: floating IPs and their holders,
/// servers with private-network alias IPs, and actions that stay "running" for a configurable number of
/// polls before they take effect.</summary>
public sealed class FakeHcloudServer : IAsyncDisposable
{
    public const string Token = "hc-TOKEN-7f3a9c1e5b";
    public const long MetadataServerId = 42;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly object _gate = new();
    private readonly Dictionary<long, FloatingIp> _floatingIps = [];
    private readonly Dictionary<long, Dictionary<long, List<string>>> _servers = [];
    private readonly Dictionary<long, ActionState> _actions = [];
    private long _nextActionId = 1000;

    private FakeHcloudServer() { }

    public FakeProviderHost Host { get; private set; } = null!;
    public Uri BaseUrl => new(Host.Root, "/v1");
    public Uri MetadataUrl => new(Host.Root, "/hetzner/v1/metadata/instance-id");

    /// <summary>Polls answered with "running" before an action finishes.</summary>
    public int RunningPolls { get; set; } = 2;

    /// <summary>When set, the next action ends in "error" with this code and message (and changes nothing).</summary>
    public (string Code, string Message)? NextActionError { get; set; }

    /// <summary>Makes error bodies quote the Authorization header back, as a broken proxy might.</summary>
    public bool EchoCredentialsInErrors { get; set; }

    public IReadOnlyList<RecordedRequest> ApiRequests => Host.ApiRequests("/v1/");

    public static async Task<FakeHcloudServer> StartAsync()
    {
        var fake = new FakeHcloudServer();
        fake.Host = await FakeProviderHost.StartAsync(
            "/v1/",
            r => r.Headers.Authorization.ToString() == $"Bearer {Token}",
            r => fake.ErrorBody("unauthorized",
                fake.EchoCredentialsInErrors ? $"unable to authenticate with '{r.Headers.Authorization}'" : "unable to authenticate"),
            fake.Map);
        return fake;
    }

    public void AddFloatingIp(long id, string ip, long? server, string type = "ipv4")
    {
        lock (_gate) _floatingIps[id] = new FloatingIp(id, ip, type) { Server = server };
    }

    public long? HolderOf(long floatingIpId)
    {
        lock (_gate) return _floatingIps[floatingIpId].Server;
    }

    public void AddServer(long id, long networkId, params string[] aliasIps)
    {
        lock (_gate) _servers[id] = new() { [networkId] = [.. aliasIps] };
    }

    public IReadOnlyList<string> AliasesOf(long serverId, long networkId)
    {
        lock (_gate) return [.. _servers[serverId][networkId]];
    }

    /// <summary>An error body in the documented shape, for <see cref="FakeProviderHost.FailNext"/>.</summary>
    public string ErrorBody(string code, string message) =>
        JsonSerializer.Serialize(new { error = new { code, message } });

    private void Map(WebApplication app)
    {
        app.MapGet("/hetzner/v1/metadata/instance-id", () => Results.Text(MetadataServerId.ToString()));

        app.MapGet("/v1/floating_ips", (int? page, int? per_page) =>
        {
            lock (_gate)
            {
                var all = _floatingIps.Values.OrderBy(f => f.Id).ToList();
                var (items, meta) = Page(all, page ?? 1, Math.Min(per_page ?? 25, 50));
                return Results.Json(new
                {
                    floating_ips = items.Select(f => new { id = f.Id, name = $"fip-{f.Id}", ip = f.Ip, type = f.Type, server = f.Server }),
                    meta,
                });
            }
        });

        app.MapPost("/v1/floating_ips/{id:long}/actions/assign", async (long id, HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            var server = body?["server"]?.GetValue<long>();
            lock (_gate)
            {
                if (!_floatingIps.TryGetValue(id, out var fip))
                    return NotFound("floating_ip", id);
                if (server is null || !_servers.ContainsKey(server.Value) && server != MetadataServerId)
                    return Error(422, "invalid_input", "invalid input in field 'server'");
                return Results.Json(new { action = StartAction("assign_floating_ip", id, () => fip.Server = server) }, statusCode: 201);
            }
        });

        app.MapPost("/v1/floating_ips/{id:long}/actions/unassign", (long id) =>
        {
            lock (_gate)
            {
                if (!_floatingIps.TryGetValue(id, out var fip))
                    return NotFound("floating_ip", id);
                return Results.Json(new { action = StartAction("unassign_floating_ip", id, () => fip.Server = null) }, statusCode: 201);
            }
        });

        app.MapGet("/v1/actions/{id:long}", (long id) =>
        {
            lock (_gate)
            {
                if (!_actions.TryGetValue(id, out var action))
                    return NotFound("action", id);
                action.Poll();
                return Results.Json(new { action = action.ToJson() });
            }
        });

        app.MapGet("/v1/servers", (int? page, int? per_page) =>
        {
            lock (_gate)
            {
                var all = _servers.OrderBy(s => s.Key).ToList();
                var (items, meta) = Page(all, page ?? 1, Math.Min(per_page ?? 25, 50));
                return Results.Json(new
                {
                    servers = items.Select(s => new
                    {
                        id = s.Key,
                        name = $"cp-{s.Key}",
                        private_net = s.Value.Select(n => new { network = n.Key, ip = $"198.51.100.{s.Key % 250}", alias_ips = n.Value }),
                    }),
                    meta,
                });
            }
        });

        app.MapPost("/v1/servers/{id:long}/actions/change_alias_ips", async (long id, HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            var network = body?["network"]?.GetValue<long>() ?? -1;
            var aliases = body?["alias_ips"]?.AsArray().Select(n => n!.GetValue<string>()).ToList() ?? [];
            lock (_gate)
            {
                if (!_servers.TryGetValue(id, out var nets))
                    return NotFound("server", id);
                if (!nets.ContainsKey(network))
                    return Error(422, "server_not_attached_to_network", "server is not attached to this network");
                return Results.Json(new { action = StartAction("change_alias_ips", id, () => nets[network] = aliases, "server") }, statusCode: 201);
            }
        });
    }

    private object StartAction(string command, long resourceId, Action effect, string resourceType = "floating_ip")
    {
        var action = new ActionState(_nextActionId++, command, resourceId, resourceType, RunningPolls, NextActionError, effect);
        NextActionError = null;
        _actions[action.Id] = action;
        if (RunningPolls == 0)
            action.Poll();
        return action.ToJson();
    }

    private static (List<T> Items, object Meta) Page<T>(List<T> all, int page, int perPage)
    {
        var last = Math.Max(1, (all.Count + perPage - 1) / perPage);
        var items = all.Skip((page - 1) * perPage).Take(perPage).ToList();
        return (items, new
        {
            pagination = new
            {
                page,
                per_page = perPage,
                previous_page = page > 1 ? page - 1 : (int?)null,
                next_page = page < last ? page + 1 : (int?)null,
                last_page = last,
                total_entries = all.Count,
            },
        });
    }

    private IResult NotFound(string what, long id) => Error(404, "not_found", $"{what} with ID '{id}' not found");

    private IResult Error(int status, string code, string message) =>
        Results.Json(new { error = new { code, message } }, statusCode: status);

    public ValueTask DisposeAsync() => Host.DisposeAsync();

    private sealed record FloatingIp(long Id, string Ip, string Type)
    {
        public long? Server { get; set; }
    }

    private sealed class ActionState(
        long id, string command, long resourceId, string resourceType, int runningPolls,
        (string Code, string Message)? error, Action effect)
    {
        private int _pollsLeft = runningPolls;
        private string _status = "running";

        public long Id => id;

        public void Poll()
        {
            if (_status != "running")
                return;
            if (_pollsLeft-- > 0)
                return;
            if (error is null)
            {
                effect();
                _status = "success";
            }
            else
            {
                _status = "error";
            }
        }

        public object ToJson() => new
        {
            id,
            command,
            status = _status,
            progress = _status == "running" ? 50 : 100,
            started = "2026-01-01T00:00:00+00:00",
            finished = _status == "running" ? null : "2026-01-01T00:00:01+00:00",
            resources = new object[] { new { id = resourceId, type = resourceType } },
            error = _status == "error" ? new { code = error!.Value.Code, message = error.Value.Message } : null,
        };
    }
}
