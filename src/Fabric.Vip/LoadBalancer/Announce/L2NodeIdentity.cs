namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>This node as L2Advertisement nodeSelectors and EndpointSlices see it: its Kubernetes node name and labels.
/// Without a Kubernetes node object to read labels from, the only label is the one every Kubernetes node carries,
/// kubernetes.io/hostname = the node name, so selectors can still pick nodes by name.</summary>
public sealed record L2NodeIdentity(string Name, IReadOnlyDictionary<string, string> Labels)
{
    public const string HostnameLabel = "kubernetes.io/hostname";

    public static L2NodeIdentity Named(string name) => new(name, new Dictionary<string, string> { [HostnameLabel] = name });
}
