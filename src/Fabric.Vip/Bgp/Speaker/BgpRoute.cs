using System.Net;
using Fabric.Actors;
using Fabric.Vip.Bgp.Codec;

namespace Fabric.Vip.Bgp.Speaker;

/// <summary>What we attach to a prefix. NextHop null means "this session's own address" (next-hop-self).</summary>
public sealed record BgpRouteAttributes(
    IReadOnlyList<uint> Communities,
    IReadOnlyList<BgpLargeCommunity> LargeCommunities,
    uint? LocalPref = null,
    uint? Med = null,
    IPAddress? NextHop = null)
{
    public static readonly BgpRouteAttributes None = new([], []);

    public bool Equals(BgpRouteAttributes? other) =>
        other is not null && LocalPref == other.LocalPref && Med == other.Med && Equals(NextHop, other.NextHop)
        && Communities.SequenceEqual(other.Communities) && LargeCommunities.SequenceEqual(other.LargeCommunities);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.Add(LocalPref); h.Add(Med); h.Add(NextHop);
        foreach (var c in Communities) h.Add(c);
        foreach (var c in LargeCommunities) h.Add(c);
        return h.ToHashCode();
    }

    public override string ToString() =>
        string.Join(" ", new[]
        {
            Communities.Count > 0 ? "communities " + string.Join(",", Communities.Select(BgpCommunityText.Format)) : null,
            LargeCommunities.Count > 0 ? "large-communities " + string.Join(",", LargeCommunities) : null,
            LocalPref is { } lp ? $"local-pref {lp}" : null,
            Med is { } med ? $"med {med}" : null,
            NextHop is { } nh ? $"next-hop {nh}" : null,
        }.Where(s => s is not null));
}

public sealed record BgpRoute(IpPrefix Prefix, BgpRouteAttributes Attributes);
