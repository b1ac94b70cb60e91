using Fabric.Actors.Config;
using YamlDotNet.RepresentationModel;

namespace Fabric.Vip.LoadBalancer.Sources.Config;

/// <summary>Reads a `apiVersion: v1, kind: Service` document of the node's config into <see cref="RawService"/>,
/// keeping where each value was written so problems point at the line.</summary>
public static class ServiceDocumentReader
{
    public static (RawService? Service, IReadOnlyList<ServiceProblem> Problems) Read(ExtraDocument document)
    {
        var problems = new List<ServiceProblem>();
        if (document.Tree is not YamlMappingNode root)
            return (null, [new ServiceProblem("", "a Service document must be a mapping", document.Location)]);
        var reader = new Reader(document.Location.File, problems);

        var metadata = reader.Map(root, "metadata", "metadata");
        var spec = reader.Map(root, "spec", "spec");
        var raw = new RawService
        {
            Namespace = reader.Text(metadata, "namespace", "metadata.namespace")?.Value ?? "default",
            Name = document.Name,
            Location = document.Location,
            Type = reader.Text(spec, "type", "spec.type")?.Value,
            LoadBalancerClass = reader.Text(spec, "loadBalancerClass", "spec.loadBalancerClass")?.Value,
            ExternalTrafficPolicy = reader.Text(spec, "externalTrafficPolicy", "spec.externalTrafficPolicy")?.Value,
            IpFamilyPolicy = reader.Text(spec, "ipFamilyPolicy", "spec.ipFamilyPolicy")?.Value,
            IpFamilies = reader.TextList(spec, "ipFamilies", "spec.ipFamilies"),
            LoadBalancerIp = reader.Text(spec, "loadBalancerIP", "spec.loadBalancerIP"),
            Annotations = reader.TextMap(metadata, "annotations", "metadata.annotations"),
            Labels = reader.TextMap(metadata, "labels", "metadata.labels").ToDictionary(l => l.Key, l => l.Value.Value),
            Ports = Ports(reader, spec),
        };
        return (raw, problems);
    }

    private static List<RawServicePort> Ports(Reader reader, YamlMappingNode? spec)
    {
        var ports = new List<RawServicePort>();
        var list = reader.Sequence(spec, "ports", "spec.ports");
        if (list is null) return ports;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"spec.ports[{i}]";
            if (list.Children[i] is not YamlMappingNode entry)
            {
                reader.Problem(list.Children[i], path, "a port must be a mapping (port:, protocol:)");
                continue;
            }
            var port = reader.Text(entry, "port", path + ".port");
            if (port is null)
            {
                reader.Problem(entry, path, "port is required");
                continue;
            }
            ports.Add(new RawServicePort(reader.Text(entry, "protocol", path + ".protocol"), port));
        }
        return ports;
    }

    /// <summary>Typed lookups that report a value of the wrong shape instead of throwing.</summary>
    private sealed class Reader(string file, List<ServiceProblem> problems)
    {
        public SourceLocation At(YamlNode node) => new(file, (int)node.Start.Line, (int)node.Start.Column);

        public void Problem(YamlNode node, string path, string message) => problems.Add(new ServiceProblem(path, message, At(node)));

        private static YamlNode? Child(YamlMappingNode? map, string key) =>
            map is not null && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

        public YamlMappingNode? Map(YamlMappingNode? parent, string key, string path)
        {
            var node = Child(parent, key);
            if (node is null or YamlScalarNode { Value: null or "" }) return null;
            if (node is YamlMappingNode map) return map;
            Problem(node, path, "must be a mapping");
            return null;
        }

        public YamlSequenceNode? Sequence(YamlMappingNode? parent, string key, string path)
        {
            var node = Child(parent, key);
            if (node is null or YamlScalarNode { Value: null or "" }) return null;
            if (node is YamlSequenceNode list) return list;
            Problem(node, path, "must be a list");
            return null;
        }

        public FieldValue? Text(YamlMappingNode? parent, string key, string path) => Scalar(Child(parent, key), path);

        private FieldValue? Scalar(YamlNode? node, string path)
        {
            switch (node)
            {
                case null or YamlScalarNode { Value: null }: return null;
                case YamlScalarNode scalar: return new FieldValue(scalar.Value!, path, At(scalar));
                default: Problem(node, path, "must be a single value"); return null;
            }
        }

        public IReadOnlyList<FieldValue> TextList(YamlMappingNode? parent, string key, string path)
        {
            var list = Sequence(parent, key, path);
            if (list is null) return [];
            return list.Children.Select((n, i) => Scalar(n, $"{path}[{i}]")).OfType<FieldValue>().ToList();
        }

        public IReadOnlyDictionary<string, FieldValue> TextMap(YamlMappingNode? parent, string key, string path)
        {
            var result = new Dictionary<string, FieldValue>();
            var map = Map(parent, key, path);
            if (map is null) return result;
            foreach (var (k, v) in map.Children)
                if (k is YamlScalarNode { Value: { } name } && Scalar(v, $"{path}[{name}]") is { } value)
                    result[name] = value;
            return result;
        }
    }
}
