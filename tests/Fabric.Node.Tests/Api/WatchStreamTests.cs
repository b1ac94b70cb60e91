using Fabric.Actors.Kernel;
using System.Net;
using System.Text.Json;
using Akka.Actor;
using Fabric.Actors.Resources;

namespace Fabric.Node.Tests.Api;

public sealed class WatchStreamTests : IAsyncLifetime
{
    private static readonly TimeSpan LineTimeout = TimeSpan.FromSeconds(10);
    private readonly ApiHarness h = new();

    public Task InitializeAsync() => h.InitializeAsync();
    public Task DisposeAsync() => h.DisposeAsync();

    private sealed class Stream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public HttpResponseMessage Response => response;

        public async Task<JsonElement> Next()
        {
            using var timeout = new CancellationTokenSource(LineTimeout);
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            return JsonDocument.Parse(line).RootElement.Clone();
        }

        public async Task<string?> NextRaw()
        {
            using var timeout = new CancellationTokenSource(LineTimeout);
            return await reader.ReadLineAsync(timeout.Token);
        }

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }

    private async Task<Stream> Open(string path)
    {
        var response = await h.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        return new Stream(response, new StreamReader(await response.Content.ReadAsStreamAsync()));
    }

    private static void AssertEvent(JsonElement line, string type, string id, int version)
    {
        Assert.Equal(type, line.GetProperty("event").GetString());
        var metadata = line.GetProperty("resource").GetProperty("metadata");
        Assert.Equal(id, metadata.GetProperty("id").GetString());
        Assert.Equal(version, metadata.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Snapshot_then_changes_in_order()
    {
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24"), "eth0/192.0.2.11/24");
        await h.Put(ApiHarness.Address("eth0", "192.0.2.12/24"), "eth0/192.0.2.12/24");
        using var stream = await Open("/v1/watch/addresses");
        Assert.Equal("application/x-ndjson", stream.Response.Content.Headers.ContentType?.MediaType);

        AssertEvent(await stream.Next(), "created", "eth0/192.0.2.11/24", 1);
        AssertEvent(await stream.Next(), "created", "eth0/192.0.2.12/24", 1);
        var marker = await stream.Next();
        Assert.Equal("bootstrapped", marker.GetProperty("event").GetString());
        Assert.False(marker.TryGetProperty("resource", out _));

        await h.Put(ApiHarness.Address("br0", "198.51.100.1/24", index: 7), "br0/198.51.100.1/24");
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24", index: 3), "eth0/192.0.2.11/24");
        await h.Destroy(ResourceTypes.AddressStatus, "eth0/192.0.2.12/24");
        await h.Put(new LinkStatus { Index = 2, Name = "eth0" }, "eth0"); // another type: must not appear

        AssertEvent(await stream.Next(), "created", "br0/198.51.100.1/24", 1);
        var updated = await stream.Next();
        AssertEvent(updated, "updated", "eth0/192.0.2.11/24", 2);
        Assert.Equal(3, updated.GetProperty("resource").GetProperty("spec").GetProperty("linkIndex").GetInt32());
        var destroyed = await stream.Next();
        AssertEvent(destroyed, "destroyed", "eth0/192.0.2.12/24", 1);
        Assert.Equal("192.0.2.12/24", destroyed.GetProperty("resource").GetProperty("spec").GetProperty("address").GetString());
    }

    [Fact]
    public async Task Watching_one_id_sees_only_that_resource()
    {
        var route = new RouteStatus { Family = "inet4", Gateway = "192.0.2.1", OutLinkName = "eth0", Metric = 1024 };
        await h.Put(route, "inet4/192.0.2.1//1024");
        using var stream = await Open("/v1/watch/routes/inet4/192.0.2.1//1024");

        AssertEvent(await stream.Next(), "created", "inet4/192.0.2.1//1024", 1);
        Assert.Equal("bootstrapped", (await stream.Next()).GetProperty("event").GetString());

        await h.Put(new RouteStatus { Family = "inet4", Destination = "10.0.0.0/8", Gateway = "192.0.2.254", Metric = 1024 }, "inet4/192.0.2.254/10.0.0.0/8/1024");
        await h.Put(route with { Metric = 1024, Mtu = 1400 }, "inet4/192.0.2.1//1024");

        AssertEvent(await stream.Next(), "updated", "inet4/192.0.2.1//1024", 2);
    }

    [Fact]
    public async Task Secrets_are_masked_in_watch_events_too()
    {
        using var stream = await Open("/v1/watch/linkspecs");
        Assert.Equal("bootstrapped", (await stream.Next()).GetProperty("event").GetString());

        await h.Put(new LinkSpec { Name = "wg0", Kind = "wireguard", Wireguard = new WireguardOptions { PrivateKey = "very-secret-key" } }, "wg0", Layers.Configuration);

        var line = await stream.NextRaw();
        Assert.NotNull(line);
        Assert.DoesNotContain("very-secret-key", line);
        Assert.Contains("\"privateKey\":\"***\"", line);
    }

    [Fact]
    public async Task Unknown_type_is_404_before_any_stream()
    {
        using var response = await h.Http.GetAsync("/v1/watch/bogus");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.StartsWith("{\"error\":\"unknown resource type \\\"bogus\\\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_client_that_goes_away_does_not_hold_the_server()
    {
        var stream = await Open("/v1/watch/addresses");
        Assert.Equal("bootstrapped", (await stream.Next()).GetProperty("event").GetString());
        stream.Dispose();

        // Another watch still works after the first one's forwarder was stopped.
        using var again = await Open("/v1/watch/addresses");
        Assert.Equal("bootstrapped", (await again.Next()).GetProperty("event").GetString());
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24"), "eth0/192.0.2.11/24");
        AssertEvent(await again.Next(), "created", "eth0/192.0.2.11/24", 1);
    }

    private async Task<int> UserActorCount()
    {
        var replies = new List<ActorIdentity>();
        var probe = h.System.ActorSelection("/user/*");
        // Identify through a temporary inbox: every live /user actor answers once.
        var inbox = Inbox.Create(h.System);
        probe.Tell(new Identify(null), inbox.Receiver);
        while (true)
        {
            try
            {
                // The hard bound matters: an inbox receive whose own timeout never fired once hung a whole run.
                replies.Add((ActorIdentity)await inbox.ReceiveAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(TimeSpan.FromSeconds(2)));
            }
            catch (Exception e) when (e is TimeoutException or AskTimeoutException)
            {
                return replies.Count(r => r.Subject is not null);
            }
        }
    }

    [Fact]
    public async Task The_forwarder_actor_stops_when_the_client_disconnects()
    {
        var stream = await Open("/v1/watch/addresses");
        Assert.Equal("bootstrapped", (await stream.Next()).GetProperty("event").GetString());
        Assert.Equal(2, await UserActorCount()); // the store and this watch's forwarder

        stream.Dispose();

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await UserActorCount() != 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "the watch forwarder outlived its client");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Stopping_the_server_ends_open_watches()
    {
        using var stream = await Open("/v1/watch/addresses");
        Assert.Equal("bootstrapped", (await stream.Next()).GetProperty("event").GetString());

        var stopped = h.Server.StopAsync();
        Assert.Same(stopped, await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(4))));
        try
        {
            Assert.Null(await stream.NextRaw());
        }
        catch (IOException)
        {
            // The connection may be reset rather than ended cleanly; either way the watch is over.
        }
    }
}
