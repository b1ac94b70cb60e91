using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>The labels MetalLB nodeSelectors are matched against: fabric.nodeLabels, plus kubernetes.io/hostname
/// set to the node name (as the kubelet sets it), since that is the label most selectors in the wild use.</summary>
public static class NodeLabels
{
    public const string Hostname = "kubernetes.io/hostname";

    public static IReadOnlyDictionary<string, string> Of(FabricSettings fabric, string? nodeName)
    {
        var labels = new Dictionary<string, string>(fabric.NodeLabels, StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(nodeName)) labels.TryAdd(Hostname, nodeName);
        return labels;
    }

    /// <summary>The node name as far as the config alone tells it (fabric.nodeName, else the short hostname); the
    /// agent falls back to the kernel's hostname, which `fabric validate` on another machine cannot know.</summary>
    public static string? ConfiguredNodeName(MachineConfig config) =>
        config.Fabric.NodeName ?? config.Network.Hostname?.Split('.')[0];
}
