using System.Text.Json;
using Fabric.Actors.Resources;

namespace Fabric.Node.Cli;

/// <summary>Turns resource documents into table rows: NODE NAMESPACE TYPE ID VERSION, then the type's own columns.</summary>
internal sealed class ResourceRows(string node, IReadOnlyList<TableColumn> columns)
{
    private static readonly string[] Common = ["NODE", "NAMESPACE", "TYPE", "ID", "VERSION"];

    /// <summary>Null while the columns cannot be known yet: a type without registered columns and no resource to look at.</summary>
    public static ResourceRows? For(string node, string typeAlias, JsonElement? sample)
    {
        var name = ResourceTypes.ByAlias(typeAlias)?.Name ?? (sample is { } s ? Field(s, "type") : null);
        if (name is not null && TableColumns.TryGet(name, out var registered)) return new ResourceRows(node, registered);
        return sample is { } first ? new ResourceRows(node, TableColumns.Fallback(first)) : null;
    }

    public IReadOnlyList<string> Header() => [.. Common, .. columns.Select(c => c.Header)];

    public IReadOnlyList<string> Row(JsonElement resource) =>
    [
        node, Field(resource, "namespace"), Field(resource, "type"), Field(resource, "id"), Field(resource, "version"),
        .. columns.Select(c => c.Value(resource)),
    ];

    private static string Field(JsonElement resource, string name) =>
        resource.TryGetProperty("metadata", out var m) && m.TryGetProperty(name, out var v) ? CellText.Of(v) : "";
}
