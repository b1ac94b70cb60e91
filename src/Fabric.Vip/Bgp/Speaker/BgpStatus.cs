using Fabric.Actors.Resources;

namespace Fabric.Vip.Bgp.Speaker;

/// <summary>One peer as `fabric get bgppeers` shows it. Sent to the status listener whenever it changes.</summary>
public sealed record BgpPeerStatus : IResourceSpec
{
    public required string Address { get; init; }
    public required uint Asn { get; init; }
    /// <summary>Idle, Connect, Active, OpenSent, OpenConfirm, Established.</summary>
    public required string State { get; init; }
    /// <summary>When the current state was entered.</summary>
    public DateTimeOffset Since { get; init; }
    /// <summary>When the session last became Established; null while it is not.</summary>
    public DateTimeOffset? EstablishedSince { get; init; }
    public int PrefixesSent { get; init; }
    /// <summary>Prefixes the peer announced to us: counted, then dropped (the speaker keeps no RIB).</summary>
    public long PrefixesReceivedIgnored { get; init; }
    public string? LastError { get; init; }
    public IReadOnlyList<string> NegotiatedCapabilities { get; init; } = [];
    /// <summary>Negotiated hold time in seconds (0: none); the configured one until negotiated.</summary>
    public int HoldTimeSeconds { get; init; }
    public int KeepaliveSeconds { get; init; }
    public string? LocalAddress { get; init; }
    public bool Passive { get; init; }
    public int EstablishedTransitions { get; init; }
}

/// <summary>One advertised prefix as `fabric get bgpadvertisements` shows it. Peers is empty once it is withdrawn.</summary>
public sealed record BgpAdvertisementStatus : IResourceSpec
{
    public required string Prefix { get; init; }
    public required string Attributes { get; init; }
    public IReadOnlyList<string> Communities { get; init; } = [];
    public IReadOnlyList<string> LargeCommunities { get; init; } = [];
    public uint? LocalPref { get; init; }
    public uint? Med { get; init; }
    public IReadOnlyList<string> Peers { get; init; } = [];
    public IReadOnlyList<string> Sources { get; init; } = [];
}
