using System.Net;
using Fabric.Actors.Config;
using Fabric.Vip.Bgp.Transport;

namespace Fabric.Vip.Bgp.Session;

/// <summary>What one session needs: its peer's settings plus our own identity and how to make sockets.</summary>
public sealed record BgpSessionConfig(BgpPeerSettings Peer, uint LocalAsn, IPAddress RouterId, IBgpSocketFactory Sockets)
{
    /// <summary>Advertised in the graceful restart capability: how long the peer keeps our routes after we vanish.</summary>
    public ushort GracefulRestartSeconds { get; init; } = 120;
    /// <summary>RFC 4271 §8.2.2 suggests 4 minutes for the hold timer before the OPEN arrives.</summary>
    public TimeSpan OpenHoldTime { get; init; } = TimeSpan.FromMinutes(4);
    /// <summary>Ceiling of the doubling connect-retry backoff.</summary>
    public TimeSpan MaxConnectRetry { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public bool IsEbgp => Peer.Asn != LocalAsn;
}
