using System.Net;
using System.Net.Sockets;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Announce;

/// <summary>A peer of this node's speaker as the load balancer names it: a BGPPeer by its name, a fabric.bgp peer by
/// its address (BGPAdvertisement.peers can only name BGPPeers; an empty list means every peer, both kinds).</summary>
public sealed record NodeBgpPeer(string Name, IPAddress Address, uint Asn, bool IsBgpPeerDocument)
{
    public override string ToString() => IsBgpPeerDocument ? $"{Name}/{Address}" : Address.ToString();
}

/// <summary>What the node's one BGP speaker runs with, and the problems found building it.</summary>
public sealed record NodeBgp(BgpSettings? Settings, IReadOnlyList<NodeBgpPeer> Peers, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    public uint? Asn => Settings?.Asn;
}

/// <summary>
/// One speaker per node, from fabric.bgp and the MetalLB BGPPeers whose nodeSelectors select this node.
/// <list type="bullet">
/// <item>ASN: fabric.bgp.asn when given; else the myASN of the BGPPeers. Every selected BGPPeer's myASN must equal
/// it (a speaker has one ASN); a BGPPeer that disagrees is an error and is left out.</item>
/// <item>Router id: fabric.bgp.routerId; else the routerID the BGPPeers give (they must agree); else the first
/// static IPv4 address of machine.network (as FRR picks an interface address); else an error.</item>
/// <item>A BGPPeer at the address of a fabric.bgp peer, or of another selected BGPPeer, is an error: one session
/// per address.</item>
/// </list>
/// `fabric validate` runs this with the node name the config gives (BGPPeers selected by a hostname it does not
/// know are then not checked against each other); the agent runs it with its real name and logs what it finds.
/// </summary>
public static class NodeBgpSettings
{
    public static NodeBgp Build(MachineConfig config, LoadBalancerConfig lb, string? nodeName)
    {
        var labels = NodeLabels.Of(config.Fabric, nodeName);
        var fabric = config.Fabric.Bgp;
        var diagnostics = new List<ConfigDiagnostic>();
        void Error(BgpPeer p, string field, string message) =>
            diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, p.Location ?? new SourceLocation("", 0, 0), $"BGPPeer({p.Name}).spec.{field}", message));

        var selected = lb.BgpPeers
            .Where(p => p.NodeSelectors.Count == 0 || p.NodeSelectors.Any(s => s.Matches(labels)))
            .OrderBy(p => p.Name, StringComparer.Ordinal);
        uint? asn = fabric?.Asn;
        var asnFrom = "fabric.bgp.asn";
        IPAddress? routerId = fabric?.RouterId;
        var routerIdFrom = "fabric.bgp.routerId";
        var fabricPeers = (fabric?.Peers ?? []).Select(p => p.Address).ToHashSet();
        var accepted = new List<BgpPeer>();
        foreach (var peer in selected)
        {
            if (asn is null) (asn, asnFrom) = (peer.MyAsn, $"myASN of BGPPeer {peer.Name}");
            else if (peer.MyAsn != asn)
            {
                Error(peer, "myASN", $"myASN {peer.MyAsn} disagrees with {asnFrom} ({asn}): the node runs one BGP speaker with one ASN");
                continue;
            }
            if (peer.RouterId is { } id)
            {
                if (routerId is null) (routerId, routerIdFrom) = (id, $"routerID of BGPPeer {peer.Name}");
                else if (!id.Equals(routerId))
                {
                    Error(peer, "routerID", $"routerID {id} disagrees with {routerIdFrom} ({routerId}): the node runs one BGP speaker with one router id");
                    continue;
                }
            }
            if (fabricPeers.Contains(peer.PeerAddress))
            {
                Error(peer, "peerAddress", $"{peer.PeerAddress} is also a peer in fabric.bgp.peers; define each session once");
                continue;
            }
            if (accepted.FirstOrDefault(a => a.PeerAddress.Equals(peer.PeerAddress)) is { } twin)
            {
                Error(peer, "peerAddress", $"{peer.PeerAddress} is also the peerAddress of BGPPeer {twin.Name}, which selects this node too");
                continue;
            }
            accepted.Add(peer);
        }
        if (fabric is null && accepted.Count == 0) return new NodeBgp(null, [], diagnostics);

        routerId ??= config.Network.Addresses.Select(a => a.Prefix.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        if (routerId is null)
        {
            Error(accepted[0], "routerID", "this node has no BGP router id: set spec.routerID (an IPv4 address), or fabric.bgp.routerId, or give the node a static IPv4 address in machine.network");
            return new NodeBgp(null, [], diagnostics);
        }

        var peers = (fabric?.Peers ?? []).Select(p => new NodeBgpPeer(p.Address.ToString(), p.Address, p.Asn, false))
            .Concat(accepted.Select(p => new NodeBgpPeer(p.Name, p.PeerAddress, p.PeerAsn, true)))
            .ToList();
        var own = fabric ?? new BgpSettings { Asn = asn!.Value, RouterId = routerId };
        var settings = own with { RouterId = routerId, Peers = [.. own.Peers, .. accepted.Select(ToSettings)] };
        return new NodeBgp(settings, peers, diagnostics);
    }

    /// <summary>Defaults follow fabric.bgp.peers: keepalive a third of the hold time (at most 30 s), connect retry 5 s.</summary>
    public static BgpPeerSettings ToSettings(BgpPeer peer)
    {
        var defaults = new BgpPeerSettings { Address = IPAddress.None, Asn = 1 };
        var keepalive = peer.KeepaliveTime
                        ?? (peer.HoldTime == TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(defaults.KeepaliveTime.Ticks, peer.HoldTime.Ticks / 3)));
        return new BgpPeerSettings
        {
            Address = peer.PeerAddress,
            Asn = peer.PeerAsn,
            Port = peer.PeerPort,
            HoldTime = peer.HoldTime,
            KeepaliveTime = keepalive,
            ConnectRetryTime = peer.ConnectTime ?? defaults.ConnectRetryTime,
            Password = peer.Password,
            EbgpMultiHop = peer.EbgpMultiHop,
            SourceAddress = peer.SourceAddress,
            GracefulRestart = peer.EnableGracefulRestart,
        };
    }
}
