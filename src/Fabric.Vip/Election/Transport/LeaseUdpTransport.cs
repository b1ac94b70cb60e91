using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;

namespace Fabric.Vip.Election.Transport;

/// <summary>Carries lease messages between nodes as UDP datagrams on the cluster's port number (4053/udp beside
/// Akka's 4053/tcp). Lease traffic is small, periodic and tolerant of loss by design, and must work the instant a
/// peer restarts: Akka remoting's associations, gating and quarantines of a peer's old incarnation delayed it by
/// tens of seconds in the lab. A datagram has no connection to lose, so none of that applies.</summary>
public sealed class LeaseUdpTransport : ReceiveActor
{
    /// <summary>Deliver <paramref name="Message"/> to the elector at <paramref name="Path"/> on node <paramref name="To"/>
    /// (an Akka address: host and port name the peer's endpoint).</summary>
    public sealed record Send(string To, string Path, object Message);

    /// <summary>Fault injection, as Akka's throttler offers for remoting: drop everything to and from these nodes
    /// (their Akka addresses) until told otherwise. Used by partition tests that cannot cut a real link.</summary>
    public sealed record Blackhole(IReadOnlySet<string> Nodes);

    private sealed record Received(int Count, EndPoint From);
    private sealed record ReceiveFailed(Exception Error);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[LeaseWireCodec.MaxDatagram + 1];
    private readonly Dictionary<string, EndPoint?> _endpoints = new(StringComparer.Ordinal);
    private readonly EndPoint _anyRemote;
    private long _dropped;
    private IReadOnlySet<string> _blackholed = new HashSet<string>();
    private HashSet<EndPoint> _blackholedEndpoints = [];

    public static Props Props(IPEndPoint bind) => Akka.Actor.Props.Create(() => new LeaseUdpTransport(bind)).WithDispatcher(LeaseDispatcher.Id);

    public LeaseUdpTransport(IPEndPoint bind)
    {
        _socket = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (bind.AddressFamily == AddressFamily.InterNetworkV6) _socket.DualMode = true;
        // A full send buffer drops the datagram instead of stalling the lease dispatcher; the next renewal follows.
        _socket.Blocking = false;
        _socket.Bind(bind);
        _anyRemote = bind.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        Receive<Send>(OnSend);
        Receive<Received>(OnReceived);
        Receive<Blackhole>(b =>
        {
            _blackholed = b.Nodes;
            _blackholedEndpoints = b.Nodes.Select(Endpoint).OfType<EndPoint>().ToHashSet();
        });
        Receive<ReceiveFailed>(f =>
        {
            _log.Warning("lease transport: receive failed ({0}); receiving again", f.Error.Message);
            ReceiveNext();
        });
    }

    protected override void PreStart()
    {
        _log.Info("lease transport on udp {0}", _socket.LocalEndPoint);
        ReceiveNext();
    }

    protected override void PostStop() => _socket.Dispose();

    private void OnSend(Send s)
    {
        if (_blackholed.Contains(s.To) || Endpoint(s.To) is not { } to) return;
        if (LeaseWireCodec.Encode(s.Path, s.Message) is not { } datagram)
        {
            _log.Error("lease transport: cannot encode {0} for {1}", s.Message.GetType().Name, s.To);
            return;
        }
        try { _socket.SendTo(datagram, to); }
        catch (SocketException e) { Dropped($"send to {to} failed: {e.SocketErrorCode}"); }
    }

    private void OnReceived(Received r)
    {
        if (_blackholedEndpoints.Contains(r.From)) { ReceiveNext(); return; }
        if (LeaseWireCodec.TryDecode(_buffer.AsSpan(0, r.Count), out var path, out var message) && IsElectorPath(path))
            Context.System.ActorSelection(path).Tell(message, ActorRefs.NoSender);
        else
            Dropped($"malformed datagram of {r.Count} bytes from {r.From}");
        ReceiveNext();
    }

    private void ReceiveNext()
    {
        var self = Self;
        _socket.ReceiveFromAsync(_buffer, SocketFlags.None, _anyRemote).ContinueWith(
            t => t.IsCompletedSuccessfully ? new Received(t.Result.ReceivedBytes, t.Result.RemoteEndPoint) : (object)new ReceiveFailed(t.Exception?.GetBaseException() ?? new OperationCanceledException()),
            TaskContinuationOptions.ExecuteSynchronously).PipeTo(self);
    }

    // Only electors below /user are reachable from the wire.
    private static bool IsElectorPath(string path) =>
        path.StartsWith("/user/", StringComparison.Ordinal) && !path.Contains("..", StringComparison.Ordinal) && path.All(c => c > ' ' && c < 127);

    private EndPoint? Endpoint(string node)
    {
        if (_endpoints.TryGetValue(node, out var known)) return known;
        EndPoint? endpoint = null;
        try
        {
            var address = Address.Parse(node);
            if (address.Host is { } host && address.Port is { } port && IPAddress.TryParse(host, out var ip))
                endpoint = new IPEndPoint(_socket.AddressFamily == AddressFamily.InterNetworkV6 && ip.AddressFamily == AddressFamily.InterNetwork ? ip.MapToIPv6() : ip, port);
        }
        catch (UriFormatException) { }
        if (endpoint is null) _log.Error("lease transport: voter {0} has no IP address and port; it gets no lease messages", node);
        return _endpoints[node] = endpoint;
    }

    private void Dropped(string why)
    {
        // Loss is expected now and then; a steady stream of it is worth a line per thousand.
        if (_dropped++ % 1000 == 0) _log.Warning("lease transport: dropped ({0} so far): {1}", _dropped, why);
    }
}
