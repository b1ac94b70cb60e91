using System.Text.Json;
using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>Turns a JSON object (a MetalLB custom resource as the Kubernetes API returns it) into a DocNode.
/// JSON has no positions once parsed, so every node carries the object's own location (e.g.
/// "k8s:ipaddresspools/metallb-system/pool-a", line 0) and diagnostics are pinned by their path.</summary>
public static class DocNodeFromJson
{
    public static DocNode Convert(JsonElement element, SourceLocation location) => element.ValueKind switch
    {
        JsonValueKind.Object => new DocNode
        {
            Kind = DocNodeKind.Map, Location = location,
            Entries = element.EnumerateObject()
                .Select(p => new KeyValuePair<string, DocNode>(p.Name, Convert(p.Value, location))).ToList(),
        },
        JsonValueKind.Array => new DocNode
        {
            Kind = DocNodeKind.List, Location = location,
            Items = element.EnumerateArray().Select(e => Convert(e, location)).ToList(),
        },
        JsonValueKind.String => new DocNode { Kind = DocNodeKind.Scalar, Location = location, Text = element.GetString() },
        JsonValueKind.Number => new DocNode { Kind = DocNodeKind.Scalar, Location = location, Text = element.GetRawText() },
        JsonValueKind.True => new DocNode { Kind = DocNodeKind.Scalar, Location = location, Text = "true" },
        JsonValueKind.False => new DocNode { Kind = DocNodeKind.Scalar, Location = location, Text = "false" },
        _ => new DocNode { Kind = DocNodeKind.Null, Location = location },
    };
}
