using System.Text;
using System.Text.Json;
using Fabric.Actors.Resources;

namespace Fabric.Node.Cli;

/// <summary>A column of `fabric get` table output, computed from one resource document ({metadata, spec}).</summary>
public sealed record TableColumn(string Header, Func<JsonElement, string> Value)
{
    public static TableColumn Spec(string header, string field) =>
        new(header, doc => doc.TryGetProperty("spec", out var spec) && spec.TryGetProperty(field, out var v) ? CellText.Of(v) : "");

    public static TableColumn Metadata(string header, string field) =>
        new(header, doc => doc.TryGetProperty("metadata", out var m) && m.TryGetProperty(field, out var v) ? CellText.Of(v) : "");

    public static readonly TableColumn Layer = Metadata("LAYER", "layer");
}

/// <summary>The columns each resource type shows after NODE NAMESPACE TYPE ID VERSION, keyed by type name. A type added
/// later (vips, members, bgppeers...) registers a line here; one without a line shows its spec's top-level scalars.</summary>
public static class TableColumns
{
    private static readonly Dictionary<string, IReadOnlyList<TableColumn>> byType = new(StringComparer.OrdinalIgnoreCase)
    {
        [ResourceTypes.AddressStatus.Name] = [TableColumn.Spec("ADDRESS", "address"), TableColumn.Spec("LINK", "linkName")],
        [ResourceTypes.RouteStatus.Name] = [TableColumn.Spec("DESTINATION", "destination"), TableColumn.Spec("GATEWAY", "gateway"), TableColumn.Spec("LINK", "outLinkName"), TableColumn.Spec("METRIC", "metric")],
        [ResourceTypes.LinkStatus.Name] = [TableColumn.Spec("TYPE", "type"), TableColumn.Spec("KIND", "kind"), TableColumn.Spec("HW ADDR", "hardwareAddr"), TableColumn.Spec("OPER STATE", "operState"), TableColumn.Spec("LINK STATE", "linkState")],
        [ResourceTypes.ResolverStatus.Name] = [TableColumn.Spec("RESOLVERS", "dnsServers"), TableColumn.Spec("SEARCH DOMAINS", "searchDomains")],
        [ResourceTypes.HostnameStatus.Name] = [TableColumn.Spec("HOSTNAME", "hostname"), TableColumn.Spec("DOMAINNAME", "domainname")],
        [ResourceTypes.NodeAddress.Name] = [TableColumn.Spec("ADDRESSES", "addresses")],
        [ResourceTypes.ApplyStatus.Name] = [TableColumn.Spec("STATE", "state"), TableColumn.Spec("MESSAGE", "message")],
        [ResourceTypes.EtcFileStatus.Name] = [TableColumn.Spec("PATH", "path"), TableColumn.Spec("SHA256", "sha256"), TableColumn.Spec("ERROR", "error")],
        [ResourceTypes.LinkSpec.Name] = [TableColumn.Layer, TableColumn.Spec("KIND", "kind"), TableColumn.Spec("UP", "up"), TableColumn.Spec("MTU", "mtu"), TableColumn.Spec("MASTER", "master")],
        [ResourceTypes.AddressSpec.Name] = [TableColumn.Layer, TableColumn.Spec("ADDRESS", "address"), TableColumn.Spec("LINK", "linkName")],
        [ResourceTypes.RouteSpec.Name] = [TableColumn.Layer, TableColumn.Spec("DESTINATION", "destination"), TableColumn.Spec("GATEWAY", "gateway"), TableColumn.Spec("LINK", "outLinkName"), TableColumn.Spec("METRIC", "metric")],
        [ResourceTypes.HostnameSpec.Name] = [TableColumn.Layer, TableColumn.Spec("HOSTNAME", "hostname"), TableColumn.Spec("DOMAINNAME", "domainname")],
        [ResourceTypes.ResolverSpec.Name] = [TableColumn.Layer, TableColumn.Spec("RESOLVERS", "dnsServers"), TableColumn.Spec("SEARCH DOMAINS", "searchDomains")],
        [ResourceTypes.HostsSpec.Name] = [TableColumn.Layer, TableColumn.Spec("ENTRIES", "entries")],
        [ResourceTypes.MachineConfig.Name] = [TableColumn.Spec("GENERATION", "generation"), TableColumn.Spec("SOURCE", "source")],
    };

    /// <summary>Called at start-up by the parts of Fabric that add resource types, next to <see cref="ResourceTypes.Register"/>.</summary>
    public static void Register(string typeName, params IReadOnlyList<TableColumn> columns) => byType[typeName] = columns;

    public static bool TryGet(string typeName, out IReadOnlyList<TableColumn> columns) => byType.TryGetValue(typeName, out columns!);

    /// <summary>The spec's top-level strings, numbers and booleans, named from their JSON field: "hardwareAddr" → "HARDWARE ADDR".</summary>
    public static IReadOnlyList<TableColumn> Fallback(JsonElement sample)
    {
        if (!sample.TryGetProperty("spec", out var spec) || spec.ValueKind != JsonValueKind.Object) return [];
        return spec.EnumerateObject()
            .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
            .Select(p => TableColumn.Spec(HeaderOf(p.Name), p.Name))
            .ToArray();
    }

    internal static string HeaderOf(string field)
    {
        var header = new StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (i > 0 && char.IsUpper(field[i]) && !char.IsUpper(field[i - 1])) header.Append(' ');
            header.Append(char.ToUpperInvariant(field[i]));
        }
        return header.ToString();
    }
}

/// <summary>How a JSON value reads in a table cell: lists the way talosctl (Go) prints them, "[a b]".</summary>
internal static class CellText
{
    public static string Of(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString() ?? "",
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array => "[" + string.Join(' ', v.EnumerateArray().Select(Of)) + "]",
        JsonValueKind.Object => v.GetRawText(),
        _ => "",
    };
}
