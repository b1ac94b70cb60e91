using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Vip.Node;

/// <summary>One VIP as this node sees it: `fabric get vips`. Id: the VIP address.</summary>
public sealed record VipState : IResourceSpec, IFlatSpec
{
    public required string Ip { get; init; }
    public required string Link { get; init; }
    /// <summary>The node holding the lease as far as this node knows ("" when unknown or none).</summary>
    public string Owner { get; init; } = "";
    /// <summary>True on the node that owns it and announces it now.</summary>
    public bool Announcing { get; init; }
    /// <summary>The fencing token of the current lease.</summary>
    public long Epoch { get; init; }
    public DateTimeOffset? Since { get; init; }
    public string Announcer { get; init; } = "";
    public string LastError { get; init; } = "";
    /// <summary>The kernel lease fence for this address: "on", "starting", "off: why", "error: what failed"; empty
    /// when none applies (provider announcers).</summary>
    public string Fence { get; init; } = "";
}

/// <summary>One cluster member: `fabric get members`. Id: its address.</summary>
public sealed record MemberState : IResourceSpec, IFlatSpec
{
    public required string Address { get; init; }
    /// <summary>Joining, Up, Leaving, Exiting, Down, Removed, WeaklyUp.</summary>
    public required string Status { get; init; }
    public bool Reachable { get; init; } = true;
    public bool IsSelf { get; init; }
    public bool IsLeader { get; init; }
}

public static class VipResources
{
    public static readonly ResourceType Vip = new(nameof(VipState), typeof(VipState), Namespaces.Network, ["vips", "vip", "vipstates"]);
    public static readonly ResourceType Member = new(nameof(MemberState), typeof(MemberState), "cluster", ["members", "member"]);

    public static void Register()
    {
        ResourceTypes.Register(Vip);
        ResourceTypes.Register(Member);
    }
}
