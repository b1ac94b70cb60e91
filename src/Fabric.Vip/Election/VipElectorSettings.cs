using System.Net;
using Fabric.Actors.Config;
using Fabric.Vip.Fence;

namespace Fabric.Vip.Election;

/// <summary>Everything a <see cref="VipElector"/> needs. Node identities are Akka addresses
/// ("akka.tcp://fabric@10.0.0.1:4053"); Voters are the nodes that grant the lease (for a VIP: the nodes that
/// configure it, self included). A node outside Voters runs no grantor; a node that is not a candidate only votes.</summary>
public sealed record VipElectorSettings(
    IPAddress Ip,
    string Link,
    string Self,
    IReadOnlyList<string> Voters,
    LeaseTimings Timings,
    string AnnouncerName = "layer2",
    int Priority = 0,
    TimeSpan? AnnounceRefresh = null)
{
    /// <summary>Gratuitous ARP / NA refresh while owning; null or zero disables it.</summary>
    public TimeSpan Refresh => AnnounceRefresh ?? TimeSpan.FromSeconds(10);

    /// <summary>The VIP's actor name below /user/vip: the address, with IPv6 colons made path-safe.</summary>
    public string VipId => IdOf(Ip);

    public static string IdOf(IPAddress ip) => ip.ToString().Replace(':', '-');

    /// <summary>The path of the electors' parent on every node; peers' electors are at PeerPath/&lt;id&gt;. VIPs use
    /// /user/vip; other users of the election (load balancer service IPs) use a parent of their own, so the same
    /// address elected for two purposes never shares a lease.</summary>
    public string PeerPath { get; init; } = "/user/" + VipRoot.Name;

    /// <summary>Whether this node starts as a candidate; <see cref="VipElector.SetCandidacy"/> changes it live.</summary>
    public bool Candidate { get; init; } = true;

    /// <summary>Keeps the kernel from answering for the address past this node's lease (Layer 2 announcers); none
    /// by default.</summary>
    public ILeaseFence Fence { get; init; } = NoLeaseFence.Instance;

    /// <summary>What logs call the elected address ("VIP", "service IP").</summary>
    public string Subject { get; init; } = "VIP";

    public static LeaseTimings TimingsFrom(ClusterSettings c) =>
        new(c.LeaseDuration, c.LeaseRenewInterval, c.LeaseDriftMargin, LeaseTimings.Default.ActionGuard);
}
