using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Fabric.Actors.Resources;
using Fabric.Node.Api;
using Fabric.Node.Cli;

namespace Fabric.Node.Tests.Api;

public sealed class CliTests : IAsyncLifetime
{
    private readonly ApiHarness h = new();

    public Task InitializeAsync() => h.InitializeAsync();
    public Task DisposeAsync() => h.DisposeAsync();

    private static string[] Cells(string line) => line.Split("   ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private async Task SeedNetwork()
    {
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24"), "eth0/192.0.2.11/24");
        await h.Put(new RouteStatus { Family = "inet4", Gateway = "192.0.2.1", OutLinkName = "eth0", Metric = 1024 }, "inet4/192.0.2.1//1024");
        await h.Put(new LinkStatus
        {
            Index = 2, Name = "eth0", Type = "ether", HardwareAddr = "52:54:00:12:34:56", OperState = "up", LinkState = true,
        }, "eth0");
    }

    [Fact]
    public async Task Table_for_addresses()
    {
        await SeedNetwork();
        var (exit, output, err) = await CliRunner.Run("get", "addresses", "-e", h.Endpoint);

        Assert.Equal(0, exit);
        Assert.Equal("", err);
        var lines = Lines(output);
        Assert.Equal(["NODE", "NAMESPACE", "TYPE", "ID", "VERSION", "ADDRESS", "LINK"], Cells(lines[0]));
        Assert.Equal(["cp-1", "network", "AddressStatus", "eth0/192.0.2.11/24", "1", "192.0.2.11/24", "eth0"], Cells(lines[1]));
        // Aligned: every column starts where its header does.
        Assert.Equal(lines[0].IndexOf("ADDRESS", StringComparison.Ordinal), lines[1].IndexOf("   192.0.2.11/24", StringComparison.Ordinal) + 3);
    }

    [Fact]
    public async Task Table_for_routes_and_links()
    {
        await SeedNetwork();
        var routes = Lines((await CliRunner.Run("get", "routes", "-e", h.Endpoint)).Out);
        Assert.Equal(["NODE", "NAMESPACE", "TYPE", "ID", "VERSION", "DESTINATION", "GATEWAY", "LINK", "METRIC"], Cells(routes[0]));
        // The default route has an empty destination, so the cell is blank: check by column position.
        Assert.Equal("192.0.2.1", routes[1][routes[0].IndexOf("GATEWAY", StringComparison.Ordinal)..].Split(' ')[0]);
        Assert.EndsWith("1024", routes[1]);

        var links = Lines((await CliRunner.Run("get", "links", "-e", h.Endpoint)).Out);
        Assert.Equal("NODE   NAMESPACE   TYPE         ID     VERSION   TYPE    KIND   HW ADDR             OPER STATE   LINK STATE", links[0]);
        Assert.Equal("cp-1   network     LinkStatus   eth0   1         ether          52:54:00:12:34:56   up           true", links[1]);
    }

    [Fact]
    public async Task Get_one_id_with_slashes()
    {
        await SeedNetwork();
        var (exit, output, _) = await CliRunner.Run("get", "routes", "inet4/192.0.2.1//1024", "-e", h.Endpoint);
        Assert.Equal(0, exit);
        Assert.Equal(2, Lines(output).Length);
        Assert.Contains("inet4/192.0.2.1//1024", output);
    }

    [Fact]
    public async Task Json_output_is_the_api_array_pretty()
    {
        await SeedNetwork();
        var (exit, output, _) = await CliRunner.Run("get", "addresses", "-o", "json", "-e", h.Endpoint);

        Assert.Equal(0, exit);
        Assert.Contains("\n  {", output);
        var array = JsonDocument.Parse(output).RootElement;
        var api = JsonDocument.Parse(await h.Http.GetStringAsync("/v1/resources/addresses")).RootElement;
        Assert.True(JsonElement.DeepEquals(api, array));
        Assert.Equal("eth0/192.0.2.11/24", array[0].GetProperty("metadata").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Yaml_output_is_documents_with_metadata_and_spec()
    {
        await SeedNetwork();
        await h.Put(ApiHarness.Address("eth1", "198.51.100.7/24", index: 3), "eth1/198.51.100.7/24");
        var (exit, output, _) = await CliRunner.Run("get", "addresses", "-o", "yaml", "-e", h.Endpoint);

        Assert.Equal(0, exit);
        var documents = output.Split("---\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, documents.Length);
        Assert.StartsWith("metadata:\n  namespace: network\n  type: AddressStatus\n  id: eth0/192.0.2.11/24\n  version: 1\n", documents[0]);
        Assert.Contains("\nspec:\n  address: 192.0.2.11/24\n  linkIndex: 2\n  linkName: eth0\n", documents[0]);
    }

    [Fact]
    public async Task Watch_table_marks_created_updated_destroyed_live()
    {
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24"), "eth0/192.0.2.11/24");
        await using var run = CliRunner.Start("get", "addresses", "--watch", "-e", h.Endpoint);

        var header = await run.NextLine();
        Assert.Equal(["NODE", "NAMESPACE", "TYPE", "ID", "VERSION", "ADDRESS", "LINK"], Cells(header));
        Assert.StartsWith(" ", header);
        var first = await run.NextLine();
        Assert.Equal(["+", "cp-1", "network", "AddressStatus", "eth0/192.0.2.11/24", "1", "192.0.2.11/24", "eth0"], Cells(first));

        await h.Put(ApiHarness.Address("eth0", "192.0.2.12/24"), "eth0/192.0.2.12/24");
        Assert.Equal("+", Cells(await run.NextLine())[0]);
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24", index: 9), "eth0/192.0.2.11/24");
        var updated = Cells(await run.NextLine());
        Assert.Equal("*", updated[0]);
        Assert.Equal("2", updated[5]);
        await h.Destroy(ResourceTypes.AddressStatus, "eth0/192.0.2.12/24");
        var destroyed = Cells(await run.NextLine());
        Assert.Equal("-", destroyed[0]);
        Assert.Equal("eth0/192.0.2.12/24", destroyed[4]);

        Assert.Equal(0, await run.Stop());
    }

    [Fact]
    public async Task Watch_json_prints_one_event_object_per_line()
    {
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24"), "eth0/192.0.2.11/24");
        await using var run = CliRunner.Start("get", "addresses", "-w", "-o", "json", "-e", h.Endpoint);

        var snapshot = JsonDocument.Parse(await run.NextLine()).RootElement;
        Assert.Equal("created", snapshot.GetProperty("event").GetString());
        await h.Destroy(ResourceTypes.AddressStatus, "eth0/192.0.2.11/24");
        var destroyed = JsonDocument.Parse(await run.NextLine()).RootElement;
        Assert.Equal("destroyed", destroyed.GetProperty("event").GetString());
        Assert.Equal("eth0/192.0.2.11/24", destroyed.GetProperty("resource").GetProperty("metadata").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Watch_yaml_prints_one_document_per_event()
    {
        await h.Put(ApiHarness.Address("eth0", "192.0.2.11/24"), "eth0/192.0.2.11/24");
        await using var run = CliRunner.Start("get", "addresses", "-w", "-o", "yaml", "-e", h.Endpoint);

        Assert.Equal("---", await run.NextLine());
        Assert.Equal("event: created", await run.NextLine());
        Assert.Equal("metadata:", await run.NextLine());
    }

    [Fact]
    public async Task Unknown_type_is_an_error_on_stderr_with_exit_1()
    {
        var (exit, output, err) = await CliRunner.Run("get", "foo", "-e", h.Endpoint);
        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("fabric: unknown resource type \"foo\"; known: ", err);
    }

    [Fact]
    public async Task Missing_id_is_exit_1()
    {
        var (exit, _, err) = await CliRunner.Run("get", "addresses", "eth9/10.0.0.1/8", "-e", h.Endpoint);
        Assert.Equal(1, exit);
        Assert.Equal("fabric: AddressStatus \"eth9/10.0.0.1/8\" not found in namespace network", err.TrimEnd());
    }

    private sealed record WidgetStatus(string Color, int Size, bool Shiny, IReadOnlyList<string> Parts) : IResourceSpec;

    [Fact]
    public async Task Types_without_registered_columns_show_their_scalar_fields()
    {
        ResourceTypes.Register(new ResourceType("WidgetStatus", typeof(WidgetStatus), Namespaces.Network, ["widgets"]));
        await h.Put(new WidgetStatus("blue", 3, true, ["a", "b"]), "w1");

        var lines = Lines((await CliRunner.Run("get", "widgets", "-e", h.Endpoint)).Out);

        Assert.Equal(["NODE", "NAMESPACE", "TYPE", "ID", "VERSION", "COLOR", "SIZE", "SHINY"], Cells(lines[0]));
        Assert.Equal(["cp-1", "network", "WidgetStatus", "w1", "1", "blue", "3", "true"], Cells(lines[1]));
    }

    [Fact]
    public async Task Registered_columns_apply_to_later_types()
    {
        ResourceTypes.Register(new ResourceType("GadgetStatus", typeof(WidgetStatus), Namespaces.Network, ["gadgets"]));
        TableColumns.Register("GadgetStatus", TableColumn.Spec("PARTS", "parts"));
        await h.Put(new WidgetStatus("red", 1, false, ["x", "y"]), "g1", ns: Namespaces.Network);

        var lines = Lines((await CliRunner.Run("get", "gadgets", "-e", h.Endpoint)).Out);

        Assert.Equal("PARTS", Cells(lines[0])[^1]);
    }

    [Fact]
    public async Task Apply_accepted_exits_0()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "# warn\nnetwork:\n  hostname: cp-1\n");
        try
        {
            var (exit, output, err) = await CliRunner.Run("apply", file, "-e", h.Endpoint);
            Assert.Equal(0, exit);
            Assert.Equal("config applied (generation 1)", output.Trim());
            Assert.Equal("network.interfaces[1]: eth9 does not exist yet", err.Trim());
            Assert.Equal("# warn\nnetwork:\n  hostname: cp-1\n", h.Applier.LastYaml);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Apply_rejected_exits_1_with_each_diagnostic()
    {
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "# reject\n");
        try
        {
            var (exit, _, err) = await CliRunner.Run("apply", file, "-e", h.Endpoint);
            Assert.Equal(1, exit);
            var lines = Lines(err);
            Assert.Equal("network.interfaces[0].addresses[0]: \"300.1.1.1/24\" is not a CIDR", lines[0]);
            Assert.Equal("network.hostname: required", lines[1]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Apply_of_a_missing_file_exits_1()
    {
        var (exit, _, err) = await CliRunner.Run("apply", "/nonexistent/fabric.yaml", "-e", h.Endpoint);
        Assert.Equal(1, exit);
        Assert.StartsWith("fabric: cannot read /nonexistent/fabric.yaml", err);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Unreachable_agent_exits_2_with_a_clear_message()
    {
        var endpoint = $"127.0.0.1:{FreePort()}";
        var file = Path.GetTempFileName();
        try
        {
            var (exit, _, err) = await CliRunner.Run("apply", file, "-e", endpoint);
            Assert.Equal(2, exit);
            Assert.Equal($"fabric: cannot reach the agent at {endpoint}: connection refused", err.Trim());

            (exit, _, err) = await CliRunner.Run("get", "addresses", "-e", endpoint);
            Assert.Equal(2, exit);
            Assert.Equal($"fabric: cannot reach the agent at {endpoint}: connection refused", err.Trim());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Endpoint_comes_from_the_flag_then_the_environment_then_the_default()
    {
        Assert.Equal(new ApiEndpoint("10.0.0.1", 50000), EndpointOption.Resolve("10.0.0.1", _ => "10.0.0.2:1"));
        Assert.Equal(new ApiEndpoint("10.0.0.2", 1), EndpointOption.Resolve(null, _ => "10.0.0.2:1"));
        Assert.Equal(ApiEndpoint.Default, EndpointOption.Resolve(null, _ => null));
        Assert.Equal(new ApiEndpoint("10.0.0.3", 7), EndpointOption.Resolve("10.0.0.3:7,10.0.0.4:7", _ => null));
        Assert.Throws<ArgumentException>(() => EndpointOption.Resolve("host:port", _ => null));
    }

    [Fact]
    public void Headers_from_json_fields() => Assert.Equal("HARDWARE ADDR", TableColumns.HeaderOf("hardwareAddr"));
}
