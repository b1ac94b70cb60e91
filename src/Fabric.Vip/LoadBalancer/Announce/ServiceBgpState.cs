using Fabric.Actors.Resources;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>What this node announces over BGP for one LoadBalancer service: `fabric get servicebgp`. Id:
/// namespace/name. Peers empty with a Reason: not announced from this node, and why.</summary>
public sealed record ServiceBgpState : IResourceSpec
{
    public required string Service { get; init; }
    public IReadOnlyList<string> Ips { get; init; } = [];
    /// <summary>The prefixes sent (aggregated as the BGPAdvertisements ask), e.g. 198.51.100.10/32.</summary>
    public IReadOnlyList<string> Prefixes { get; init; } = [];
    /// <summary>BGPPeers as name/address; fabric.bgp peers by address.</summary>
    public IReadOnlyList<string> Peers { get; init; } = [];
    /// <summary>The BGPAdvertisements that apply on this node.</summary>
    public IReadOnlyList<string> Advertisements { get; init; } = [];
    /// <summary>Why the service is not announced from this node (empty when it is).</summary>
    public string Reason { get; init; } = "";
    /// <summary>E.g. externalTrafficPolicy Local on a source that knows no endpoints.</summary>
    public string Warning { get; init; } = "";
}

public static class ServiceBgpResources
{
    public static readonly ResourceType State =
        new(nameof(ServiceBgpState), typeof(ServiceBgpState), "loadbalancer", ["servicebgp", "servicesbgp", "servicebgpstates"]);

    public static void Register() => ResourceTypes.Register(State);
}
