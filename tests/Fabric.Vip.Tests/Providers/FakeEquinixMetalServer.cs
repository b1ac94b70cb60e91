using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Fabric.Vip.Tests.Providers;

/// <summary>The documented Equinix Metal endpoints over in-memory state: one project's IP reservations and
/// which device each assigned address is on. Like the real API it refuses to assign an address that is still
/// assigned elsewhere, so a client that skips the DELETE fails.</summary>
public sealed class FakeEquinixMetalServer : IAsyncDisposable
{
    public const string Token = "em-TOKEN-c0ffee5eed";
    public const string Project = "proj-1";
    public const string OwnDevice = "dev-a";

    private readonly object _gate = new();
    private readonly HashSet<string> _devices = [OwnDevice, "dev-b"];
    private readonly List<(string Id, string Network, int Cidr)> _reservations = [];
    private readonly Dictionary<string, (string Address, string Device)> _assignments = [];
    private int _nextAssignment = 1;

    private FakeEquinixMetalServer() { }

    public FakeProviderHost Host { get; private set; } = null!;
    public Uri BaseUrl => new(Host.Root, "/metal/v1");
    public Uri MetadataUrl => new(Host.Root, "/metadata");
    public IReadOnlyList<RecordedRequest> ApiRequests => Host.ApiRequests("/metal/v1/");

    /// <summary>List assignments with address and device inline; otherwise only their href (as documented).</summary>
    public bool InlineAssignmentDetails { get; set; }

    public bool EchoCredentialsInErrors { get; set; }

    public static async Task<FakeEquinixMetalServer> StartAsync()
    {
        var fake = new FakeEquinixMetalServer();
        fake.Host = await FakeProviderHost.StartAsync(
            "/metal/v1/",
            r => r.Headers["X-Auth-Token"].ToString() == Token,
            r => ErrorBody(fake.EchoCredentialsInErrors
                ? $"Invalid authentication token '{r.Headers["X-Auth-Token"]}'"
                : "Invalid authentication token"),
            fake.Map);
        return fake;
    }

    public static string ErrorBody(string message) => JsonSerializer.Serialize(new { errors = new[] { message } });

    public void AddReservation(string id, string network, int cidr)
    {
        lock (_gate) _reservations.Add((id, network, cidr));
    }

    public string Assign(string address, string device)
    {
        lock (_gate)
        {
            var id = $"asg-{_nextAssignment++}";
            _assignments[id] = (address, device);
            return id;
        }
    }

    public IReadOnlyList<string> DevicesHolding(string address)
    {
        lock (_gate) return _assignments.Values.Where(a => a.Address == address).Select(a => a.Device).ToList();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/metadata", () => Results.Json(new { id = OwnDevice, hostname = "cp-1", iqn = "iqn.2026-01.net.packet:device.a" }));

        app.MapGet("/metal/v1/devices/{id}", (string id, string? include) =>
        {
            lock (_gate)
            {
                if (!_devices.Contains(id))
                    return NotFound();
                object project = include == "project"
                    ? new { id = Project, name = "cluster", href = $"/metal/v1/projects/{Project}" }
                    : new { href = $"/metal/v1/projects/{Project}" };
                return Results.Json(new { id, hostname = $"host-{id}", project });
            }
        });

        app.MapGet("/metal/v1/projects/{project}/ips", (string project) =>
        {
            lock (_gate)
            {
                if (project != Project)
                    return NotFound();
                return Results.Json(new
                {
                    ip_addresses = _reservations.Select(r => new
                    {
                        id = r.Id,
                        address = r.Network,
                        network = r.Network,
                        cidr = r.Cidr,
                        address_family = 4,
                        @public = true,
                        assignments = _assignments.Where(a => InReservation(a.Value.Address, r)).Select(a => AssignmentJson(a.Key, InlineAssignmentDetails)),
                    }),
                });
            }
        });

        app.MapGet("/metal/v1/ips/{id}", (string id) =>
        {
            lock (_gate)
                return _assignments.ContainsKey(id) ? Results.Json(AssignmentJson(id, details: true)) : NotFound();
        });

        app.MapDelete("/metal/v1/ips/{id}", (string id) =>
        {
            lock (_gate)
                return _assignments.Remove(id) ? Results.NoContent() : NotFound();
        });

        app.MapPost("/metal/v1/devices/{id}/ips", async (string id, HttpRequest request) =>
        {
            var address = (await JsonNode.ParseAsync(request.Body))?["address"]?.GetValue<string>() ?? "";
            lock (_gate)
            {
                if (!_devices.Contains(id))
                    return NotFound();
                if (!_reservations.Any(r => InReservation(address, r)))
                    return Results.Json(new { errors = new[] { $"Address {address} is not reserved in this project" } }, statusCode: 422);
                if (_assignments.Values.Any(a => a.Address == address))
                    return Results.Json(new { errors = new[] { $"Address {address} is already assigned" } }, statusCode: 422);
                var assignment = $"asg-{_nextAssignment++}";
                _assignments[assignment] = (address, id);
                return Results.Json(AssignmentJson(assignment, details: true), statusCode: 201);
            }
        });
    }

    private object AssignmentJson(string id, bool details)
    {
        if (!details)
            return new { href = $"/metal/v1/ips/{id}" };
        var (address, device) = _assignments[id];
        return new
        {
            id,
            href = $"/metal/v1/ips/{id}",
            address,
            address_family = 4,
            cidr = 32,
            assigned_to = new { href = $"/metal/v1/devices/{device}" },
        };
    }

    private static bool InReservation(string address, (string Id, string Network, int Cidr) r) =>
        IPAddress.TryParse(address, out var ip) && new IPNetwork(IPAddress.Parse(r.Network), r.Cidr).Contains(ip);

    private static IResult NotFound() => Results.Json(new { errors = new[] { "Not found" } }, statusCode: 404);

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
