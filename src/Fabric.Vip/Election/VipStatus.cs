using System.Net;

namespace Fabric.Vip.Election;

/// <summary>One node's view of one VIP, published to the elector's listener on every change.</summary>
/// <param name="Owner">The node that owns it as far as this node knows: itself when it holds the lease, else null.</param>
/// <param name="Since">This node's monotonic time when it took ownership.</param>
public sealed record VipStatus(string VipId, IPAddress Ip, string Link, string? Owner, long Epoch, TimeSpan? Since,
    string Announcer, string? LastError);
