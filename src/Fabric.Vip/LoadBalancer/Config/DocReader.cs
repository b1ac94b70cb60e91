using System.Globalization;
using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>Typed access to a DocNode that records a located diagnostic for every value it cannot use, so a
/// reader keeps going and reports all problems of a document at once.</summary>
public sealed class DocReader
{
    private readonly List<ConfigDiagnostic> _diagnostics;
    public DocReader(List<ConfigDiagnostic> diagnostics) => _diagnostics = diagnostics;

    public void Error(DocNode node, string path, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, node.Location, path, message));

    public void Warning(DocNode node, string path, string message) =>
        _diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Warning, node.Location, path, message));

    /// <summary>A mapping's entries, reporting keys outside <paramref name="known"/> as errors: a misspelt
    /// field silently ignored is how an allocator ends up handing out the wrong addresses.</summary>
    public IReadOnlyList<KeyValuePair<string, DocNode>> Map(DocNode node, string path, IReadOnlyCollection<string> known)
    {
        if (node.Kind == DocNodeKind.Null) return [];
        if (node.Kind != DocNodeKind.Map) { Error(node, path, $"expected a mapping, got {node.Describe()}"); return []; }
        foreach (var (key, value) in node.Entries)
            if (!known.Contains(key)) Error(value, $"{path}.{key}", $"unknown field; expected one of {string.Join(", ", known)}");
        return node.Entries;
    }

    public IReadOnlyList<DocNode> List(DocNode? node, string path)
    {
        if (node is null || node.Kind == DocNodeKind.Null) return [];
        if (node.Kind == DocNodeKind.List) return node.Items;
        Error(node, path, $"expected a list, got {node.Describe()}");
        return [];
    }

    public string? String(DocNode? node, string path)
    {
        if (node is null || node.Kind == DocNodeKind.Null) return null;
        if (node.Kind == DocNodeKind.Scalar) return node.Text;
        Error(node, path, $"expected a string, got {node.Describe()}");
        return null;
    }

    public IReadOnlyList<string> Strings(DocNode? node, string path) =>
        List(node, path).Select((item, i) => String(item, $"{path}[{i}]")).OfType<string>().ToList();

    public bool? Bool(DocNode? node, string path)
    {
        var text = String(node, path);
        if (text is null) return null;
        if (text is "true" or "True" or "TRUE") return true;
        if (text is "false" or "False" or "FALSE") return false;
        Error(node!, path, $"expected true or false, got \"{text}\"");
        return null;
    }

    public long? Integer(DocNode? node, string path, long min, long max)
    {
        var text = String(node, path);
        if (text is null) return null;
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        { Error(node!, path, $"expected a whole number, got \"{text}\""); return null; }
        if (value < min || value > max) { Error(node!, path, $"{value} is out of range {min}..{max}"); return null; }
        return value;
    }

    /// <summary>Kubernetes durations as MetalLB writes them: "90s", "1m30s", "500ms".</summary>
    public TimeSpan? Duration(DocNode? node, string path)
    {
        var text = String(node, path);
        if (text is null) return null;
        if (GoDuration.TryParse(text, out var value)) return value;
        Error(node!, path, $"\"{text}\" is not a duration (e.g. 90s, 1m30s, 500ms)");
        return null;
    }

    public IReadOnlyDictionary<string, string> StringMap(DocNode? node, string path)
    {
        var result = new Dictionary<string, string>();
        if (node is null || node.Kind == DocNodeKind.Null) return result;
        if (node.Kind != DocNodeKind.Map) { Error(node, path, $"expected a mapping, got {node.Describe()}"); return result; }
        foreach (var (key, value) in node.Entries)
            if (String(value, $"{path}.{key}") is { } text) result[key] = text;
        return result;
    }
}
