using System.Globalization;
using System.Text.Json;
using YamlDotNet.Serialization;

namespace Fabric.Node.Cli;

/// <summary>Writes API JSON as YAML documents, keeping field order and quoting strings YAML would misread
/// ("true", "1024", "eth0:1").</summary>
internal static class YamlDocuments
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .WithIndentedSequences()
        .DisableAliases()
        .Build();

    public static void Write(TextWriter output, JsonElement document)
    {
        output.WriteLine("---");
        output.Write(Serializer.Serialize(ToPlain(document)));
    }

    /// <summary>A watch event as one document: "event:" first, then the resource's metadata and spec.</summary>
    public static void WriteEvent(TextWriter output, string eventName, JsonElement resource)
    {
        var plain = new Dictionary<string, object?> { ["event"] = eventName };
        foreach (var (key, value) in (Dictionary<string, object?>)ToPlain(resource)!) plain[key] = value;
        output.WriteLine("---");
        output.Write(Serializer.Serialize(plain));
    }

    private static object? ToPlain(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => v.EnumerateObject().Aggregate(new Dictionary<string, object?>(), (map, p) =>
        {
            map[p.Name] = ToPlain(p.Value);
            return map;
        }),
        JsonValueKind.Array => v.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number => v.TryGetInt64(out var n) ? n : decimal.Parse(v.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
