using System.Net;
using Akka.Actor;
using Akka.Event;
using Fabric.Actors;
using Fabric.Actors.Config;
using Fabric.Vip.Bgp.Codec;
using Fabric.Vip.Bgp.Session;
using Fabric.Vip.Bgp.Transport;

namespace Fabric.Vip.Bgp.Speaker;

/// <summary>
/// The BGP speaker: one <see cref="BgpSession"/> child per peer, the Adj-RIB-Out of each, and the advertisements of
/// every source (config, load balancer, ...). Tells the status listener <see cref="BgpPeerStatus"/> and
/// <see cref="BgpAdvertisementStatus"/> records as they change. Routes from peers are not kept.
/// </summary>
public sealed partial class BgpSpeaker : ReceiveActor
{
    private sealed class Peer(BgpPeerSettings settings)
    {
        public BgpPeerSettings Settings { get; } = settings;
        /// <summary>Nobody until the session is started, after its Adj-RIB-Out is filled.</summary>
        public IActorRef Session { get; set; } = ActorRefs.Nobody;
        public Dictionary<IpPrefix, BgpRouteAttributes> AdjRibOut { get; } = [];
        public BgpPeerStatus? Status { get; set; }
    }

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _statusListener;
    private readonly IBgpSocketFactory _sockets;
    private readonly Dictionary<IPAddress, Peer> _peers = [];
    /// <summary>Per source, per prefix: its entries in the order given; for each peer the first entry that goes to it
    /// counts (so one source can send a prefix to different peers with different attributes).</summary>
    private readonly SortedDictionary<string, Dictionary<IpPrefix, BgpAdvertisementEntry[]>> _sources = new(StringComparer.Ordinal);
    private readonly Dictionary<IpPrefix, BgpAdvertisementStatus> _published = [];
    private readonly List<IActorRef> _listeners = [];
    private string _listenerKey = "";
    private BgpSettings _settings;
    private int _generation;

    public static Props Props(BgpSettings settings, IActorRef statusListener) =>
        Props(settings, statusListener, DefaultBgpSocketFactory.Instance);

    public static Props Props(BgpSettings settings, IActorRef statusListener, IBgpSocketFactory sockets) =>
        Akka.Actor.Props.Create(() => new BgpSpeaker(settings, statusListener, sockets));

    public BgpSpeaker(BgpSettings settings, IActorRef statusListener, IBgpSocketFactory sockets)
    {
        _statusListener = statusListener;
        _sockets = sockets;
        _settings = settings;

        Receive<Apply>(a => ApplySettings(a.Settings));
        Receive<SetAdvertisements>(s =>
        {
            var problems = new List<string>();
            SetSource(s.Source, BgpAdvertisementEntry.From(s.Advertisements, problems));
            foreach (var p in problems) _log.Warning("BGP advertisements from {0}: {1}", s.Source, p);
            Recompute();
        });
        Receive<Announce>(a =>
        {
            if (!_sources.TryGetValue(a.Source, out var entries)) _sources[a.Source] = entries = [];
            entries[a.Prefix.Network] = [new BgpAdvertisementEntry(a.Prefix.Network, a.Attributes ?? BgpRouteAttributes.None, a.Peers ?? [])];
            Recompute();
        });
        Receive<Withdraw>(w =>
        {
            if (_sources.TryGetValue(w.Source, out var entries) && entries.Remove(w.Prefix.Network)) Recompute();
        });
        Receive<AbortPeer>(a =>
        {
            if (_peers.TryGetValue(a.Peer, out var peer)) peer.Session.Tell(new BgpAbortConnection());
        });
        Receive<BgpSessionEstablished>(e => WithPeer(e.Peer, p => Sender.Tell(new BgpFullTable(Routes(p)))));
        Receive<BgpRefreshRequested>(r => WithPeer(r.Peer, p => Sender.Tell(new BgpFullTable(Routes(p), r.Family))));
        Receive<BgpSessionStatus>(OnSessionStatus);
        Receive<BgpListener.Accepted>(OnAccepted);
    }

    protected override void PreStart() => ApplySettings(_settings, initial: true);

    private static List<BgpRoute> Routes(Peer peer) => peer.AdjRibOut.Select(kv => new BgpRoute(kv.Key, kv.Value)).ToList();

    private void WithPeer(IPAddress address, Action<Peer> action)
    {
        if (_peers.TryGetValue(address, out var peer) && peer.Session.Equals(Sender)) action(peer);
    }

    private void SetSource(string source, IEnumerable<BgpAdvertisementEntry> entries)
    {
        var map = new Dictionary<IpPrefix, BgpAdvertisementEntry[]>();
        foreach (var e in entries)
            map[e.Prefix] = map.TryGetValue(e.Prefix, out var earlier) ? [.. earlier, e] : [e];
        _sources[source] = map;
    }

    private void ApplySettings(BgpSettings settings, bool initial = false)
    {
        var identityChanged = !initial && (settings.Asn != _settings.Asn || !settings.RouterId.Equals(_settings.RouterId));
        _settings = settings;
        var wanted = settings.Peers.GroupBy(p => p.Address).ToDictionary(g => g.Key, g => g.Last());
        foreach (var (address, peer) in _peers.ToList())
        {
            if (!wanted.TryGetValue(address, out var next))
            {
                StopPeer(address, peer, BgpCeaseSubcode.PeerDeconfigured, "removed from fabric.bgp.peers");
            }
            else if (identityChanged || next != peer.Settings)
            {
                StopPeer(address, peer, BgpCeaseSubcode.OtherConfigurationChange, "configuration changed");
            }
        }
        foreach (var (address, peer) in wanted)
            if (!_peers.ContainsKey(address)) _peers[address] = new Peer(peer);

        if (initial || !ReferenceEquals(settings.Advertisements, _configAdvertisements))
        {
            _configAdvertisements = settings.Advertisements;
            var problems = new List<string>();
            SetSource(ConfigSource, BgpAdvertisementEntry.From(settings.Advertisements, problems));
            foreach (var p in problems) _log.Warning("fabric.bgp.advertisements: {0}", p);
        }
        // Adj-RIB-Outs first, sessions after: a session that comes up fast finds the speaker free to answer at once.
        Recompute();
        foreach (var peer in _peers.Values.Where(p => p.Session.IsNobody())) StartSession(peer);
        UpdateListeners();
    }

    private IReadOnlyList<BgpAdvertisementSettings>? _configAdvertisements;

    private void StartSession(Peer peer)
    {
        var settings = peer.Settings;
        var config = new BgpSessionConfig(settings, _settings.Asn, _settings.RouterId, _sockets);
        var name = $"peer-{Uri.EscapeDataString(settings.Address.ToString()).Replace('%', '_')}-{++_generation}";
        peer.Session = Context.ActorOf(BgpSession.Props(config), name);
        _log.Info("BGP peer {0} AS {1} configured{2}", settings.Address, settings.Asn, settings.Password.Length > 0 ? " (TCP MD5)" : "");
    }

    private void StopPeer(IPAddress address, Peer peer, byte ceaseSubcode, string why)
    {
        _log.Info("BGP peer {0}: {1}; stopping its session", address, why);
        peer.Session.Tell(new BgpShutdown(ceaseSubcode));
        _peers.Remove(address);
        if (peer.Status is { } last) _statusListener.Tell(last with { State = "Removed", Since = DateTimeOffset.UtcNow, PrefixesSent = 0 });
    }

    private void OnSessionStatus(BgpSessionStatus s)
    {
        var peer = _peers.Values.FirstOrDefault(p => p.Session.Equals(Sender));
        if (peer is null) return;
        var status = s.Status with { PrefixesSent = s.Status.State == nameof(BgpState.Established) ? peer.AdjRibOut.Count : 0 };
        if (status == peer.Status) return;
        peer.Status = status;
        _statusListener.Tell(status);
    }

    private void OnAccepted(BgpListener.Accepted accepted)
    {
        var remote = BgpSocketOptions.Unmap(accepted.Socket.RemoteEndPoint);
        if (_peers.TryGetValue(remote.Address, out var peer)) peer.Session.Tell(new BgpInboundConnection(accepted.Socket));
        else
        {
            _log.Warning("BGP: connection from {0}, which is not a configured peer; closed", remote);
            accepted.Socket.Dispose();
        }
    }
}
