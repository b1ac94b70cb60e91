using System.Net;
using Fabric.Actors;
using Fabric.Actors.Config;

namespace Fabric.Vip.Bgp.Speaker;

public sealed partial class BgpSpeaker
{
    /// <summary>Reconfigure live: only changed peers' sessions restart; advertisements are diffed.</summary>
    public sealed record Apply(BgpSettings Settings);

    /// <summary>Replace everything <paramref name="Source"/> advertises (e.g. "loadbalancer"). An empty list withdraws it all.</summary>
    public sealed record SetAdvertisements(string Source, IReadOnlyList<BgpAdvertisementSettings> Advertisements);

    /// <summary>Add or change one prefix of <paramref name="Source"/>. Peers empty: all peers.</summary>
    public sealed record Announce(IpPrefix Prefix, BgpRouteAttributes? Attributes = null, IReadOnlyList<IPAddress>? Peers = null, string Source = "api");

    /// <summary>Remove one prefix of <paramref name="Source"/>.</summary>
    public sealed record Withdraw(IpPrefix Prefix, string Source = "api");

    /// <summary>Drop one peer's TCP connection without NOTIFICATION (a simulated crash, for tests).</summary>
    public sealed record AbortPeer(IPAddress Peer);

    /// <summary>The source name of fabric.bgp.advertisements.</summary>
    public const string ConfigSource = "config";
}
