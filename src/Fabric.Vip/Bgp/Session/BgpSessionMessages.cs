using System.Net;
using System.Net.Sockets;
using Fabric.Actors;
using Fabric.Vip.Bgp.Codec;
using Fabric.Vip.Bgp.Speaker;

namespace Fabric.Vip.Bgp.Session;

/// <summary>Speaker to session: changes of this peer's Adj-RIB-Out. Sent on the wire only while Established.</summary>
public sealed record BgpRoutesChanged(IReadOnlyList<BgpRoute> Announce, IReadOnlyList<IpPrefix> Withdraw);

/// <summary>Speaker to session: the whole Adj-RIB-Out, after Established (then End-of-RIB) or for a ROUTE-REFRESH.</summary>
public sealed record BgpFullTable(IReadOnlyList<BgpRoute> Routes, BgpAfiSafi? RefreshFamily = null);

/// <summary>Listener (via speaker) to session: a TCP connection the peer opened to us.</summary>
public sealed record BgpInboundConnection(Socket Socket);

/// <summary>Session to speaker: the session became Established; answer with <see cref="BgpFullTable"/>.</summary>
public sealed record BgpSessionEstablished(IPAddress Peer);

/// <summary>Session to speaker: the peer asked for a family again (RFC 2918).</summary>
public sealed record BgpRefreshRequested(IPAddress Peer, BgpAfiSafi Family);

/// <summary>Session to speaker: this peer's status changed.</summary>
public sealed record BgpSessionStatus(BgpPeerStatus Status);

/// <summary>Drop the TCP connection without a NOTIFICATION, as a crash would (tests of graceful restart).</summary>
public sealed record BgpAbortConnection;
