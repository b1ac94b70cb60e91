using System.Net;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>One service IP as this node should elect it: which services use it, the link the owner puts it on,
/// and whether this node is a candidate (and if not, why).</summary>
/// <param name="Reason">Why this node is not eligible ("" when it is, or when <paramref name="Error"/> says it).</param>
/// <param name="Error">A configuration problem that keeps this node from announcing (no link), else null.</param>
public sealed record ServiceIpPlan(IPAddress Ip, IReadOnlyList<string> Services, string? Link, bool Candidate, string Reason, string? Error)
{
    public bool SameElector(ServiceIpPlan other) => Ip.Equals(other.Ip) && Link == other.Link;
}
