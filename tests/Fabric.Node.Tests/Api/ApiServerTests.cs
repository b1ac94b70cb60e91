using Fabric.Actors.Kernel;
using Fabric.Actors;
using System.Net;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Fabric.Actors.Resources;
using Fabric.Node.Api;

namespace Fabric.Node.Tests.Api;

public sealed class ApiServerTests : IAsyncLifetime
{
    private readonly ApiHarness h = new();

    public Task InitializeAsync() => h.InitializeAsync();
    public Task DisposeAsync() => h.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Body, string Raw)> GetJson(string path)
    {
        using var response = await h.Http.GetAsync(path);
        var raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(raw).RootElement.Clone(), raw);
    }

    [Fact]
    public async Task Lists_a_type_with_metadata_and_spec()
    {
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24"), "eth0/192.0.2.11/24");
        await h.Put(ApiHarness.Address("eth0", "2001:db8::11/64"), "eth0/2001:db8::11/64");

        var (status, body, _) = await GetJson("/v1/resources/addresses");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(JsonValueKind.Array, body.ValueKind);
        Assert.Equal(2, body.GetArrayLength());
        var first = body[0];
        var metadata = first.GetProperty("metadata");
        Assert.Equal("network", metadata.GetProperty("namespace").GetString());
        Assert.Equal("AddressStatus", metadata.GetProperty("type").GetString());
        Assert.Equal("eth0/192.0.2.11/24", metadata.GetProperty("id").GetString());
        Assert.Equal(1, metadata.GetProperty("version").GetInt32());
        Assert.Equal(ApiHarness.Owner, metadata.GetProperty("owner").GetString());
        Assert.True(metadata.TryGetProperty("created", out _));
        Assert.True(metadata.TryGetProperty("updated", out _));
        Assert.False(metadata.TryGetProperty("layer", out _), "statuses have no layer");
        var spec = first.GetProperty("spec");
        Assert.Equal("192.0.2.11/24", spec.GetProperty("address").GetString());
        Assert.Equal("eth0", spec.GetProperty("linkName").GetString());
        Assert.Equal(2, spec.GetProperty("linkIndex").GetInt32());
    }

    [Theory]
    [InlineData("addresses")]
    [InlineData("Addresses")]
    [InlineData("address")]
    [InlineData("AddressStatus")]
    public async Task Accepts_any_alias_case_insensitively(string alias)
    {
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24"), "eth0/192.0.2.11/24");
        var (status, body, _) = await GetJson($"/v1/resources/{alias}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, body.GetArrayLength());
    }

    [Fact]
    public async Task Empty_type_is_an_empty_array()
    {
        var (status, body, raw) = await GetJson("/v1/resources/routes");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("[]", raw);
        Assert.Equal(0, body.GetArrayLength());
    }

    [Fact]
    public async Task Unknown_type_is_404_naming_the_known_ones()
    {
        var (status, body, _) = await GetJson("/v1/resources/foo");
        Assert.Equal(HttpStatusCode.NotFound, status);
        var error = body.GetProperty("error").GetString()!;
        Assert.StartsWith("unknown resource type \"foo\"; known: links, addresses, routes, ", error);
        Assert.Contains("links", error);
        Assert.Contains("addresses", error);
        Assert.Contains("routes", error);
    }

    [Fact]
    public async Task Gets_ids_containing_slashes_and_empty_segments()
    {
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24"), "eth0/192.0.2.11/24");
        var route = new RouteStatus { Family = "inet4", Gateway = "192.0.2.1", OutLinkName = "eth0", Metric = 1024 };
        await h.Put(route, "inet4/192.0.2.1//1024");

        var (status, body, _) = await GetJson("/v1/resources/addresses/eth0/192.0.2.11/24");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("eth0/192.0.2.11/24", Assert.Single(body.EnumerateArray()).GetProperty("metadata").GetProperty("id").GetString());

        (status, body, _) = await GetJson("/v1/resources/routes/inet4/192.0.2.1//1024");
        Assert.Equal(HttpStatusCode.OK, status);
        var item = Assert.Single(body.EnumerateArray());
        Assert.Equal("inet4/192.0.2.1//1024", item.GetProperty("metadata").GetProperty("id").GetString());
        Assert.Equal("192.0.2.1", item.GetProperty("spec").GetProperty("gateway").GetString());
    }

    [Fact]
    public async Task Missing_id_is_404_with_a_clear_message()
    {
        var (status, body, _) = await GetJson("/v1/resources/addresses/eth9/192.0.2.99/24");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("AddressStatus \"eth9/192.0.2.99/24\" not found in namespace network", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Layered_specs_are_reachable_by_namespace_and_carry_their_layer()
    {
        await h.Put(new LinkSpec { Name = "eth0", Up = true, Mtu = 9000 }, "configuration/eth0", Layers.Configuration, Namespaces.NetworkConfig);

        var (status, body, _) = await GetJson("/v1/resources/linkspecs?namespace=network-config");

        Assert.Equal(HttpStatusCode.OK, status);
        var metadata = Assert.Single(body.EnumerateArray()).GetProperty("metadata");
        Assert.Equal("network-config", metadata.GetProperty("namespace").GetString());
        Assert.Equal("configuration", metadata.GetProperty("layer").GetString());
        Assert.Equal(0, (await GetJson("/v1/resources/linkspecs")).Body.GetArrayLength());
    }

    [Fact]
    public async Task Secrets_never_leave_the_node()
    {
        const string privateKey = "cGhvbnlwcml2YXRla2V5cGhvbnlwcml2YXRla2V5MTI=";
        const string publicKey = "cHVibGljcHVibGljcHVibGljcHVibGljcHVibGljMTI=";
        var spec = new LinkSpec
        {
            Name = "wg0", Logical = true, Kind = "wireguard",
            Wireguard = new WireguardOptions
            {
                PrivateKey = privateKey, ListenPort = 51820,
                Peers = [new WireguardPeer { PublicKey = publicKey, Endpoint = "203.0.113.5:51820", PersistentKeepalive = TimeSpan.FromSeconds(25), AllowedIps = [IpPrefix.Parse("198.51.100.0/24")] }],
            },
        };
        await h.Put(spec, "wg0", Layers.Configuration);

        var (_, body, raw) = await GetJson("/v1/resources/linkspecs/wg0");

        Assert.DoesNotContain(privateKey, raw);
        var wireguard = body[0].GetProperty("spec").GetProperty("wireguard");
        Assert.Equal("***", wireguard.GetProperty("privateKey").GetString());
        Assert.Equal(51820, wireguard.GetProperty("listenPort").GetInt32());
        Assert.Equal(publicKey, wireguard.GetProperty("peers")[0].GetProperty("publicKey").GetString());
    }

    [Theory]
    [InlineData("privateKey", true)]
    [InlineData("apiToken", true)]
    [InlineData("bgp_password", true)]
    [InlineData("presharedKey", true)]
    [InlineData("publicKey", false)]
    [InlineData("address", false)]
    public void Secret_names_are_recognised(string name, bool secret) => Assert.Equal(secret, SecretRedaction.IsSecretName(name));

    private sealed record TokenHolder(string Name, TokenValue Token, string? Password);
    private sealed record TokenValue(string Value);

    [Fact]
    public void Structured_and_null_secrets_are_handled()
    {
        var json = JsonSerializer.Serialize(new TokenHolder("x", new TokenValue("s3cr3t"), null), ApiJson.Options);
        Assert.Equal("{\"name\":\"x\",\"token\":\"***\"}", json);
    }

    [Fact]
    public async Task Health_names_the_node()
    {
        var (status, body, _) = await GetJson("/v1/health");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(ApiHarness.NodeName, body.GetProperty("node").GetString());
        Assert.Equal("ok", body.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unknown_route_is_a_json_404()
    {
        var (status, body, _) = await GetJson("/v2/nothing");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("no such API route", body.GetProperty("error").GetString());
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostConfig(string yaml)
    {
        using var response = await h.Http.PostAsync("/v1/config", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        var raw = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(raw).RootElement.Clone());
    }

    [Fact]
    public async Task Apply_accepted_returns_generation_and_warnings()
    {
        var (status, body) = await PostConfig("network:\n  hostname: cp-1\n");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetProperty("applied").GetBoolean());
        Assert.Equal(1, body.GetProperty("generation").GetInt64());
        Assert.Equal(0, body.GetProperty("diagnostics").GetArrayLength());
        Assert.Equal("network:\n  hostname: cp-1\n", h.Applier.LastYaml);

        (status, body) = await PostConfig("# warn\nnetwork: {}\n");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetProperty("generation").GetInt64());
        Assert.Equal("network.interfaces[1]: eth9 does not exist yet", body.GetProperty("diagnostics")[0].GetString());
    }

    [Fact]
    public async Task Apply_rejected_is_422_with_diagnostics()
    {
        var (status, body) = await PostConfig("# reject\n");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.False(body.GetProperty("applied").GetBoolean());
        Assert.False(body.TryGetProperty("generation", out _));
        Assert.Equal(2, body.GetProperty("diagnostics").GetArrayLength());
    }

    [Fact]
    public async Task Apply_failure_is_a_message_not_a_stack_trace()
    {
        var (status, body) = await PostConfig("# explode\n");
        Assert.Equal(HttpStatusCode.InternalServerError, status);
        Assert.Equal("applying the config failed: applier exploded", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Store_that_does_not_answer_is_503()
    {
        var silent = h.System.ActorOf(Props.Empty, "silent");
        await using var server = new ApiServer(h.System, silent, "cp-1", h.Applier,
            new ApiServerOptions { Listen = new ApiEndpoint("127.0.0.1", 0), AskTimeout = TimeSpan.FromMilliseconds(200) });
        await server.StartAsync();
        using var http = new HttpClient { BaseAddress = server.BoundEndpoint!.BaseUri };

        using var response = await http.GetAsync("/v1/resources/links");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("the resource store did not answer within 0.2s", body.GetProperty("error").GetString());
    }

    [Fact]
    public void Endpoints_parse_like_users_type_them()
    {
        Assert.Equal(new ApiEndpoint("127.0.0.1", 50000), ApiEndpoint.Parse("127.0.0.1"));
        Assert.Equal(new ApiEndpoint("10.0.0.5", 5000), ApiEndpoint.Parse("http://10.0.0.5:5000/"));
        Assert.Equal(new ApiEndpoint("::1", 50001), ApiEndpoint.Parse("[::1]:50001"));
        Assert.Equal("[::1]:50001", new ApiEndpoint("::1", 50001).ToString());
        Assert.False(ApiEndpoint.TryParse("host:notaport", out _));
    }
}

public sealed class ApiServerLifecycleTests
{
    [Fact]
    public async Task A_port_in_use_fails_start_and_leaves_nothing_running()
    {
        var h = new ApiHarness();
        await h.InitializeAsync();
        try
        {
            var second = new ApiServer(h.System, h.Store, "cp-2", new FakeApplier(), new ApiServerOptions { Listen = h.Server.BoundEndpoint! });

            await Assert.ThrowsAnyAsync<IOException>(() => second.StartAsync());
            Assert.Null(second.BoundEndpoint);
            await second.DisposeAsync();
        }
        finally
        {
            await h.DisposeAsync();
        }
    }
}
