using System.Text.Json;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

public static class KubernetesSourceMessages
{
    /// <summary>Whether this node is the one that writes to the API (status, Events). Leadership is decided by the
    /// cluster; every node watches, only the leader writes, so two nodes never argue over a status.</summary>
    public sealed record SetLeader(bool IsLeader);

    /// <summary>Every MetalLB object (IPAddressPool, L2Advertisement, BGPAdvertisement, Community, BGPPeer) the API
    /// holds, as the JSON the server returned, sorted by apiVersion, kind, namespace and name. Sent whole on every
    /// change, and only once every kind was listed (or found absent): the config reader rebuilds its view from them.</summary>
    /// <param name="Absent">Kinds that cannot be listed, with why (e.g. "bgppeers.metallb.io: not found ..."); they count as empty.</param>
    public sealed record MetalLbObjectsChanged(IReadOnlyList<JsonElement> Objects, IReadOnlyList<string>? Absent = null);

    /// <summary>What is wrong with MetalLB objects of the API, by their location in diagnostics (k8s:kind/name), as
    /// one text each; the source records a Warning Event on each such object while it leads, once per text. Sent
    /// whole: an object missing from it has nothing wrong.</summary>
    public sealed record MetalLbProblems(IReadOnlyDictionary<string, string> ByLocation);
}
