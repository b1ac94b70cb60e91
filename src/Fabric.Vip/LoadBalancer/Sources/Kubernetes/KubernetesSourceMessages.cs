using System.Text.Json;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

public static class KubernetesSourceMessages
{
    /// <summary>Whether this node is the one that writes to the API (status, Events). Leadership is decided by the
    /// cluster; every node watches, only the leader writes, so two nodes never argue over a status.</summary>
    public sealed record SetLeader(bool IsLeader);

    /// <summary>Every MetalLB object (IPAddressPool, L2Advertisement, BGPAdvertisement, Community, BGPPeer) the API
    /// holds, as the JSON the server returned, sorted by apiVersion, kind, namespace and name. Sent whole on every
    /// change: the config reader rebuilds its view from them.</summary>
    public sealed record MetalLbObjectsChanged(IReadOnlyList<JsonElement> Objects);
}
