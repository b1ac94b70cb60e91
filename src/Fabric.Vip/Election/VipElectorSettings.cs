using System.Net;
using Fabric.Actors.Config;

namespace Fabric.Vip.Election;

/// <summary>Everything a <see cref="VipElector"/> needs. Node identities are Akka addresses
/// ("akka.tcp://fabric@10.0.0.1:4053"); Voters are the nodes that configure this VIP, self included.</summary>
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
    public string VipId => Ip.ToString().Replace(':', '-');

    public static LeaseTimings TimingsFrom(ClusterSettings c) =>
        new(c.LeaseDuration, c.LeaseRenewInterval, c.LeaseDriftMargin, LeaseTimings.Default.ActionGuard);
}
