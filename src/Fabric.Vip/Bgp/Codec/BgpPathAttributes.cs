using System.Net;

namespace Fabric.Vip.Bgp.Codec;

/// <summary>The path attributes of one UPDATE, as decoded (or to encode). Absent attributes are null/empty.</summary>
public sealed record BgpPathAttributes
{
    public static readonly BgpPathAttributes Empty = new();

    public byte? Origin { get; init; }
    public IReadOnlyList<BgpAsPathSegment>? AsPath { get; init; }
    public IReadOnlyList<BgpAsPathSegment>? As4Path { get; init; }
    public IPAddress? NextHop { get; init; }
    public uint? Med { get; init; }
    public uint? LocalPref { get; init; }
    public bool AtomicAggregate { get; init; }
    public IReadOnlyList<uint> Communities { get; init; } = [];
    public IReadOnlyList<BgpLargeCommunity> LargeCommunities { get; init; } = [];
    public BgpMpReach? MpReach { get; init; }
    public BgpMpUnreach? MpUnreach { get; init; }
    public IReadOnlyList<BgpUnknownAttribute> Other { get; init; } = [];
    /// <summary>Set by the decoder when RFC 7606 says to treat the UPDATE as a withdraw of its NLRI.</summary>
    public BgpError? TreatAsWithdraw { get; init; }

    public bool IsEmpty => CountPresent() == 0;

    public int CountPresent() =>
        (Origin is null ? 0 : 1) + (AsPath is null ? 0 : 1) + (As4Path is null ? 0 : 1) + (NextHop is null ? 0 : 1)
        + (Med is null ? 0 : 1) + (LocalPref is null ? 0 : 1) + (AtomicAggregate ? 1 : 0)
        + (Communities.Count > 0 ? 1 : 0) + (LargeCommunities.Count > 0 ? 1 : 0)
        + (MpReach is null ? 0 : 1) + (MpUnreach is null ? 0 : 1) + Other.Count;

    /// <summary>All AS numbers of AS_PATH merged with AS4_PATH as RFC 6793 §4.2.3 reconstructs them.</summary>
    public IReadOnlyList<uint> FlatAsPath()
    {
        var path = (AsPath ?? []).SelectMany(s => s.Asns).ToList();
        if (As4Path is null) return path;
        var as4 = As4Path.SelectMany(s => s.Asns).ToList();
        if (as4.Count > path.Count) return path;
        return path.Take(path.Count - as4.Count).Concat(as4).ToList();
    }
}
