using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Config;

public enum DocNodeKind { Null, Scalar, Map, List }

/// <summary>A neutral document tree, so one set of MetalLB readers serves both YAML files (with line and column)
/// and JSON objects from the Kubernetes API (located by object, line 0). Map keys keep their order.</summary>
public sealed class DocNode
{
    public required DocNodeKind Kind { get; init; }
    public required SourceLocation Location { get; init; }
    /// <summary>The scalar's text: YAML as written, JSON strings unquoted, numbers and booleans as JSON writes them.</summary>
    public string? Text { get; init; }
    public IReadOnlyList<KeyValuePair<string, DocNode>> Entries { get; init; } = [];
    public IReadOnlyList<DocNode> Items { get; init; } = [];

    public DocNode? this[string key]
    {
        get
        {
            foreach (var (k, v) in Entries) if (k == key) return v;
            return null;
        }
    }

    public string Describe() => Kind switch
    {
        DocNodeKind.Map => "a mapping",
        DocNodeKind.List => "a list",
        DocNodeKind.Null => "null",
        _ => $"\"{Text}\"",
    };
}
