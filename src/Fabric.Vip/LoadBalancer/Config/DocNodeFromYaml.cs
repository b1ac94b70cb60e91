using Fabric.Actors.Config;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>Turns the YamlDotNet tree the config parser keeps in <see cref="ExtraDocument.Tree"/> into a DocNode,
/// keeping each node's line and column.</summary>
public static class DocNodeFromYaml
{
    public static DocNode Convert(YamlNode node, string file) => node switch
    {
        YamlMappingNode map => new DocNode
        {
            Kind = DocNodeKind.Map, Location = At(map, file),
            Entries = map.Children
                .Select(kv => new KeyValuePair<string, DocNode>(((kv.Key as YamlScalarNode)?.Value) ?? "", Convert(kv.Value, file)))
                .ToList(),
        },
        YamlSequenceNode seq => new DocNode
        {
            Kind = DocNodeKind.List, Location = At(seq, file),
            Items = seq.Children.Select(n => Convert(n, file)).ToList(),
        },
        YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" } s =>
            new DocNode { Kind = DocNodeKind.Null, Location = At(s, file) },
        YamlScalarNode s => new DocNode { Kind = DocNodeKind.Scalar, Location = At(s, file), Text = s.Value ?? "" },
        _ => new DocNode { Kind = DocNodeKind.Null, Location = At(node, file) },
    };

    private static SourceLocation At(YamlNode node, string file) => new(file, (int)node.Start.Line, (int)node.Start.Column);
}
