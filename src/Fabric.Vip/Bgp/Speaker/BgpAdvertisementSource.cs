using System.Net;
using Fabric.Actors;
using Fabric.Actors.Config;

namespace Fabric.Vip.Bgp.Speaker;

/// <summary>One prefix as one source wants it advertised.</summary>
public sealed record BgpAdvertisementEntry(IpPrefix Prefix, BgpRouteAttributes Attributes, IReadOnlyList<IPAddress> Peers)
{
    public bool GoesTo(IPAddress peer) => Peers.Count == 0 || Peers.Contains(peer);

    /// <summary>Expands config records; community strings that do not parse are reported and left out.</summary>
    public static List<BgpAdvertisementEntry> From(IEnumerable<BgpAdvertisementSettings> advertisements, List<string> problems)
    {
        var entries = new List<BgpAdvertisementEntry>();
        foreach (var a in advertisements)
        {
            var communities = new List<uint>();
            foreach (var text in a.Communities)
                if (BgpCommunityText.TryParse(text, out var c)) communities.Add(c);
                else problems.Add($"community \"{text}\" is not asn:value or a well-known name");
            var large = new List<Codec.BgpLargeCommunity>();
            foreach (var text in a.LargeCommunities)
                if (BgpCommunityText.TryParseLarge(text, out var c)) large.Add(c);
                else problems.Add($"large community \"{text}\" is not global:local1:local2");
            var attributes = new BgpRouteAttributes(communities, large, a.LocalPref, a.Med);
            entries.AddRange(a.Prefixes.Select(p => new BgpAdvertisementEntry(p.Network, attributes, a.Peers)));
        }
        return entries;
    }
}
