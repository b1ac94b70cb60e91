using System.Net;
using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>metallb.io/v1beta2 BGPPeer, restricted to what Fabric's speaker does; see
/// <see cref="BgpPeerReader.Unsupported"/> for the fields it rejects.</summary>
public sealed record BgpPeer
{
    public required string Name { get; init; }
    public required uint MyAsn { get; init; }
    public required uint PeerAsn { get; init; }
    public required IPAddress PeerAddress { get; init; }
    public IPAddress? SourceAddress { get; init; }
    public ushort PeerPort { get; init; } = 179;
    public TimeSpan HoldTime { get; init; } = TimeSpan.FromSeconds(90);
    public TimeSpan? KeepaliveTime { get; init; }
    public TimeSpan? ConnectTime { get; init; }
    public IPAddress? RouterId { get; init; }
    public IReadOnlyList<LabelSelector> NodeSelectors { get; init; } = [];
    public string Password { get; init; } = "";
    public bool EbgpMultiHop { get; init; }
    public bool EnableGracefulRestart { get; init; }
    public SourceLocation? Location { get; init; }

    /// <summary>Never print the password.</summary>
    public override string ToString() => $"BgpPeer {Name} {PeerAddress} AS{PeerAsn} (local AS{MyAsn})";
}
