using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fabric.Node.Cli;

/// <summary>`fabric get TYPE [ID] [-o table|json|yaml] [-w] [-n NAMESPACE] [-e ENDPOINT]`, like `talosctl get`.</summary>
public static class GetCommand
{
    public static Command Create()
    {
        var type = new Argument<string>("type") { Description = "resource type or alias: addresses, routes, links, resolvers, hostname, nodeaddresses, linkspecs..." };
        var id = new Argument<string?>("id") { Arity = ArgumentArity.ZeroOrOne, Description = "one resource's id, e.g. eth0/192.0.2.11/24" };
        var output = new Option<string>("--output", "-o") { Description = "table, json or yaml", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json", "yaml");
        var watch = new Option<bool>("--watch", "-w") { Description = "keep printing changes as they happen" };
        var ns = new Option<string?>("--namespace", "-n") { Description = "another namespace than the type's own, e.g. network-config for per-layer specs" };
        var endpoints = EndpointOption.Create();

        var command = new Command("get", "Show the node's resources") { type, id, output, watch, ns, endpoints };
        command.SetAction((parse, ct) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            return CommandErrors.Guard(stderr, ct, async () =>
            {
                var request = new GetRequest(parse.GetValue(type)!, parse.GetValue(id), parse.GetValue(ns), parse.GetValue(output) ?? "table");
                using var client = new FabricClient(EndpointOption.Resolve(parse, endpoints));
                if (parse.GetValue(watch)) await WatchAsync(client, request, stdout, ct);
                else await ListAsync(client, request, stdout, ct);
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private sealed record GetRequest(string Type, string? Id, string? Namespace, string Output);

    private static readonly JsonSerializerOptions Pretty = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static async Task ListAsync(FabricClient client, GetRequest request, TextWriter stdout, CancellationToken ct)
    {
        var node = request.Output == "table" ? await client.NodeNameAsync(ct) : "";
        var raw = await client.ListRawAsync(request.Type, request.Id, request.Namespace, ct);
        using var doc = JsonDocument.Parse(raw);
        var resources = doc.RootElement.EnumerateArray().ToArray();
        switch (request.Output)
        {
            case "json":
                stdout.WriteLine(JsonSerializer.Serialize(doc.RootElement, Pretty));
                break;
            case "yaml":
                foreach (var resource in resources) YamlDocuments.Write(stdout, resource);
                break;
            default:
                var rows = ResourceRows.For(node, request.Type, resources.Length > 0 ? resources[0] : null)
                           ?? new ResourceRows(node, []);
                new TableLayout().WriteBlock(stdout, [rows.Header(), .. resources.Select(rows.Row)]);
                break;
        }
    }

    private static async Task WatchAsync(FabricClient client, GetRequest request, TextWriter stdout, CancellationToken ct)
    {
        var table = request.Output == "table" ? new WatchTable(await client.NodeNameAsync(ct), request.Type, stdout) : null;
        await foreach (var line in client.WatchAsync(request.Type, request.Id, request.Namespace, ct))
        {
            using var doc = JsonDocument.Parse(line);
            var eventName = doc.RootElement.GetProperty("event").GetString() ?? "";
            var hasResource = doc.RootElement.TryGetProperty("resource", out var resource);
            switch (request.Output)
            {
                case "json":
                    if (hasResource) stdout.WriteLine(line);
                    break;
                case "yaml":
                    if (hasResource) YamlDocuments.WriteEvent(stdout, eventName, resource);
                    break;
                default:
                    if (hasResource) table!.Add(eventName, resource.Clone());
                    else if (eventName == "bootstrapped") table!.Bootstrapped();
                    break;
            }
            await stdout.FlushAsync(ct);
        }
    }
}
