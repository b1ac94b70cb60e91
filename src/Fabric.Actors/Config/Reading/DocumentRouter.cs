using YamlDotNet.RepresentationModel;

namespace Fabric.Actors.Config;

/// <summary>Decides what each YAML document is (Talos machine config, network kind, Fabric settings, MetalLB or
/// Service document, or something to ignore) and hands it to the matching reader.</summary>
internal sealed class DocumentRouter(ReadContext context, NetworkBuilder network)
{
    /// <summary>Top-level keys of a Talos v1alpha1 machine config; all but machine.network and fabric are Talos's business.</summary>
    private static readonly string[] MachineConfigKeys = ["version", "debug", "persist", "machine", "cluster", "fabric"];

    private readonly List<ExtraDocument> _extra = [];
    private Origin? _fabricOrigin;

    public FabricSettings? Fabric { get; private set; }
    public IReadOnlyList<ExtraDocument> ExtraDocuments => _extra;
    public int DocumentCount { get; private set; }

    public void Route(YamlNode root)
    {
        if (root is YamlScalarNode { Value: null or "" }) return; // an empty document, e.g. a trailing ---
        DocumentCount++;
        var node = new YNode(context, root, "");
        if (root is not YamlMappingNode mapping)
        {
            node.Error($"a config document must be a mapping (key: value pairs), got {node.Describe()}");
            return;
        }

        var apiVersion = Scalar(mapping, "apiVersion");
        var kind = Scalar(mapping, "kind");
        if (apiVersion is null)
            MachineConfig(node);
        else if (apiVersion == "v1alpha1")
            TalosDocument(mapping, kind, node);
        else if (apiVersion.StartsWith("metallb.io/", StringComparison.Ordinal) || (apiVersion == "v1" && kind == "Service"))
            Extra(mapping, apiVersion, kind, node);
        else
            node.Warning($"ignoring document apiVersion: {apiVersion}{(kind is null ? "" : $", kind: {kind}")}; Fabric does not use it");
    }

    private void MachineConfig(YNode node)
    {
        if (node.AsMap(null) is not { } root) return;
        var known = root.Keys.Where(MachineConfigKeys.Contains).ToList();
        if (known.Count == 0)
        {
            node.Error("unrecognised document: expected a Talos machine config (machine:), a fabric: section, or apiVersion and kind");
            return;
        }
        foreach (var key in root.Keys.Except(MachineConfigKeys))
            root.Self.Child(key, root[key]?.Node ?? root.Self.Node).Warning($"unknown top-level key \"{key}\" ignored");
        if (root["version"] is { } version && version.AsString() is { } text && text != "v1alpha1")
            version.Error($"unsupported machine config version \"{text}\"; Fabric reads v1alpha1");

        if (root.Map("machine", null)?["network"] is { } networkNode && network.Claim("machine.network", networkNode.Origin))
            NetworkSectionReader.Read(networkNode, network);
        if (root["fabric"] is { } fabric)
            ReadFabric(fabric);
    }

    private void ReadFabric(YNode fabric)
    {
        if (_fabricOrigin is not null)
        {
            fabric.Error($"fabric settings are already given at {_fabricOrigin.Location}; keep one fabric: section");
            return;
        }
        _fabricOrigin = fabric.Origin;
        Fabric = FabricSettingsReader.Read(fabric);
    }

    private void TalosDocument(YamlMappingNode mapping, string? kind, YNode node)
    {
        if (kind is null)
        {
            node.Error("a document with apiVersion: v1alpha1 needs a kind (e.g. LinkConfig)");
            return;
        }
        if (NetworkDocumentReader.IsNetworkKind(kind))
            NetworkDocumentReader.Read(context, mapping, kind, network);
        else
            node.Child("kind", mapping.Children[new YamlScalarNode("kind")])
                .Warning($"kind {kind} is not a network document; Fabric ignores it");
    }

    private void Extra(YamlMappingNode mapping, string apiVersion, string? kind, YNode node)
    {
        if (string.IsNullOrEmpty(kind)) { node.Error($"a document with apiVersion: {apiVersion} needs a kind"); return; }
        var name = mapping.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadata) && metadata is YamlMappingNode meta
            ? Scalar(meta, "name") : null;
        if (string.IsNullOrEmpty(name))
        {
            node.Error($"{kind} needs metadata.name");
            return;
        }
        _extra.Add(new ExtraDocument(apiVersion, kind, name, node.Location, mapping));
    }

    private static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode { Value: { Length: > 0 } text } ? text : null;
}
