using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>One Layer 2 service IP as this node sees it: `fabric get servicel2`. Id: the IP.</summary>
public sealed record ServiceL2State : IResourceSpec, IFlatSpec
{
    public required string Ip { get; init; }
    /// <summary>The services using the IP (namespace/name), comma-separated (several when shared).</summary>
    public required string Service { get; init; }
    /// <summary>The link the owner puts the IP on and announces it from ("" when none could be chosen).</summary>
    public string Link { get; init; } = "";
    /// <summary>The announcing node as far as this node knows (its cluster address; "" when unknown or none).</summary>
    public string Owner { get; init; } = "";
    /// <summary>True on the node that holds the lease and announces the IP now.</summary>
    public bool Announcing { get; init; }
    /// <summary>Whether this node is a candidate (it still votes when it is not).</summary>
    public bool Eligible { get; init; }
    /// <summary>Why this node is not eligible.</summary>
    public string Reason { get; init; } = "";
    /// <summary>The fencing token of the current lease.</summary>
    public long Epoch { get; init; }
    public DateTimeOffset? Since { get; init; }
    /// <summary>The kernel fence on this node: "on", "starting", "off: why" ("" when none applies).</summary>
    public string Fence { get; init; } = "";
    public string LastError { get; init; } = "";
}

public static class ServiceL2Resources
{
    public const string Namespace = "loadbalancer";

    public static readonly ResourceType State = new(nameof(ServiceL2State), typeof(ServiceL2State), Namespace,
        ["servicel2", "servicel2s", "servicel2states", "l2services"]);

    public static void Register() => ResourceTypes.Register(State);
}
