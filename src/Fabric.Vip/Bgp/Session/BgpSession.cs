using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Fabric.Vip.Bgp.Codec;
using Fabric.Vip.Bgp.Speaker;
using Fabric.Vip.Bgp.Transport;

namespace Fabric.Vip.Bgp.Session;

/// <summary>
/// One peer: the RFC 4271 finite state machine over <see cref="BgpConnection"/>s. Enforces the hold timer, sends
/// keepalives, retries with doubling backoff, resolves connection collisions by BGP identifier (§6.8), and on stop
/// sends Cease/Administrative Shutdown. Routes come from the parent speaker; received routes are counted and dropped.
/// </summary>
public sealed partial class BgpSession : UntypedActor, IWithTimers
{
    private sealed record Connected(int Attempt, Socket Socket);
    private sealed record ConnectFailed(int Attempt, string Reason);
    private sealed record ConnectRetryExpired;
    private sealed record HoldExpired;
    private sealed record KeepaliveDue;

    private readonly BgpSessionConfig _config;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly BgpCapabilities _localCapabilities;
    private BgpState _state = BgpState.Idle;
    private BgpConnection? _conn;
    private BgpConnection? _pending;   // second connection during a collision
    private int _attempt;
    private int _failures;
    private BgpOpenMessage? _remoteOpen;
    private BgpDecodeOptions _decodeOptions = BgpDecodeOptions.FourOctet;
    private BgpOutboundEncoder? _encoder;
    private TimeSpan _holdTime;
    private TimeSpan _keepalive;
    private DateTimeOffset _since = DateTimeOffset.UtcNow;
    private DateTimeOffset? _establishedSince;
    private long _received;
    private string? _lastError;
    private IReadOnlyList<string> _negotiated = [];
    private int _establishedCount;
    private int _prefixesSent;
    private byte _stopSubcode = BgpCeaseSubcode.AdministrativeShutdown;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(BgpSessionConfig config) => Akka.Actor.Props.Create(() => new BgpSession(config));

    public BgpSession(BgpSessionConfig config)
    {
        _config = config;
        var peer = config.Peer;
        var families = new List<BgpAfiSafi> { BgpAfiSafi.IPv4Unicast, BgpAfiSafi.IPv6Unicast };
        _localCapabilities = new BgpCapabilities
        {
            Multiprotocol = families,
            FourOctetAs = peer.DisableFourByteAsn ? null : config.LocalAsn,
            RouteRefresh = true,
            EnhancedRouteRefresh = true,
            // Forwarding state kept for both families: the peer keeps our routes across our restart (RFC 4724).
            GracefulRestart = peer.GracefulRestart
                ? new BgpGracefulRestart(false, config.GracefulRestartSeconds, families.Select(f => new BgpGracefulRestartFamily(f, true)).ToList())
                : null,
        };
        _holdTime = peer.HoldTime;
        _keepalive = peer.KeepaliveTime;
    }

    private IPAddress PeerAddress => _config.Peer.Address;

    protected override void PreStart()
    {
        Publish();
        Start();
    }

    protected override void PostStop()
    {
        if (_conn is not null)
        {
            if (_state >= BgpState.OpenSent)
                _conn.Close(BgpMessageEncoder.EncodeNotification(BgpErrorCode.Cease, _stopSubcode, []));
            else _conn.Close();
            _log.Info("BGP {0}: stopped, sent {1}", PeerAddress, BgpNotificationMessage.Describe(BgpErrorCode.Cease, _stopSubcode));
        }
        _pending?.Close();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case BgpConnection.Received r: OnMessage(r.Connection, r.Message); break;
            case BgpConnection.FramingError f: OnFramingError(f); break;
            case BgpConnection.Closed c: OnClosed(c); break;
            case BgpRoutesChanged changed: OnRoutesChanged(changed); break;
            case BgpFullTable table: OnFullTable(table); break;
            case BgpInboundConnection inbound: OnInbound(inbound.Socket); break;
            case Connected c: OnConnected(c); break;
            case ConnectFailed f: OnConnectFailed(f); break;
            case ConnectRetryExpired: OnConnectRetry(); break;
            case HoldExpired: OnHoldExpired(); break;
            case KeepaliveDue: _conn?.Send(BgpMessageEncoder.EncodeKeepalive()); break;
            case BgpAbortConnection: Abort(); break;
            case BgpShutdown s:
                _stopSubcode = s.CeaseSubcode;
                Context.Stop(Self);
                break;
            default: Unhandled(message); break;
        }
    }

    private void Start()
    {
        if (_config.Peer.Passive) { Become(BgpState.Active); return; }
        Become(BgpState.Connect);
        StartConnect();
    }

    private void StartConnect()
    {
        var attempt = ++_attempt;
        var config = _config;
        Timers.StartSingleTimer("connect-retry", new ConnectRetryExpired(), RetryDelay());
        Task.Run(async () =>
        {
            var peer = config.Peer;
            var socket = config.Sockets.Create(peer.Address.AddressFamily);
            try
            {
                BgpSocketOptions.Apply(socket, peer, config.IsEbgp);
                if (peer.SourceAddress is { } source) socket.Bind(new IPEndPoint(source, 0));
                using var cts = new CancellationTokenSource(config.ConnectTimeout);
                await socket.ConnectAsync(new IPEndPoint(peer.Address, peer.Port), cts.Token);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }).PipeTo(Self, success: s => new Connected(attempt, s),
            failure: e => new ConnectFailed(attempt, e is OperationCanceledException ? "connect timed out" : e.GetBaseException().Message));
    }

    private TimeSpan RetryDelay()
    {
        var baseDelay = _config.Peer.ConnectRetryTime;
        var factor = Math.Pow(2, Math.Min(_failures, 10));
        var delay = TimeSpan.FromTicks((long)Math.Min(baseDelay.Ticks * factor, Math.Max(_config.MaxConnectRetry.Ticks, baseDelay.Ticks)));
        // Jitter (RFC 4271 §10) so that peers restarting together do not keep colliding.
        return delay * (0.85 + Random.Shared.NextDouble() * 0.15);
    }

    private void OnConnected(Connected c)
    {
        if (c.Attempt != _attempt || _state is not (BgpState.Connect or BgpState.Active) || _conn is not null)
        {
            c.Socket.Dispose();
            return;
        }
        Timers.Cancel("connect-retry");
        Adopt(new BgpConnection(c.Socket, inbound: false));
    }

    private void OnConnectFailed(ConnectFailed f)
    {
        if (f.Attempt != _attempt || _state != BgpState.Connect) return;
        _failures++;
        SetError($"connect: {f.Reason}", log: _failures <= 3);
        Become(BgpState.Active); // the retry timer is running; the peer may still connect to us
    }

    private void OnConnectRetry()
    {
        if (_config.Peer.Passive) return;
        if (_state is BgpState.Idle or BgpState.Connect or BgpState.Active && _conn is null)
        {
            Become(BgpState.Connect);
            StartConnect();
        }
    }

    private void OnInbound(Socket socket)
    {
        try { BgpSocketOptions.Apply(socket, _config.Peer, _config.IsEbgp); }
        catch (SocketException e) { _log.Warning("BGP {0}: socket options on inbound connection: {1}", PeerAddress, e.Message); }
        var conn = new BgpConnection(socket, inbound: true);
        switch (_state)
        {
            case BgpState.Idle or BgpState.Connect or BgpState.Active when _conn is null:
                _attempt++; // an outbound attempt in flight is now stale
                Timers.Cancel("connect-retry");
                Adopt(conn);
                break;
            case BgpState.OpenSent or BgpState.OpenConfirm when _pending is null:
                _pending = conn;
                conn.Start(Self);
                conn.Send(BgpMessageEncoder.EncodeOpen(LocalOpen()));
                break;
            case BgpState.Established when _remoteOpen?.Capabilities.GracefulRestart is not null && _localCapabilities.GracefulRestart is not null:
                // RFC 4724 §4: the peer restarted before we noticed; the new connection replaces the old one.
                _log.Info("BGP {0}: peer reconnected while Established (graceful restart); replacing the session", PeerAddress);
                _conn!.Abort();
                Down("peer restarted (graceful restart)", restart: false);
                Adopt(conn);
                break;
            default:
                conn.Start(Self);
                conn.Close(BgpMessageEncoder.EncodeNotification(BgpErrorCode.Cease, BgpCeaseSubcode.ConnectionCollisionResolution, []));
                break;
        }
    }

    private void Adopt(BgpConnection conn)
    {
        _conn = conn;
        conn.Start(Self);
        conn.Send(BgpMessageEncoder.EncodeOpen(LocalOpen()));
        _log.Info("BGP {0}: {1} connection {2} -> {3}, OPEN sent", PeerAddress, conn.Inbound ? "inbound" : "outbound", conn.Local, conn.Remote);
        Become(BgpState.OpenSent);
        RestartHoldTimer(_config.OpenHoldTime);
    }

    private BgpOpenMessage LocalOpen()
    {
        var asn = _config.LocalAsn;
        var hold = (ushort)Math.Min(ushort.MaxValue, _config.Peer.HoldTime.TotalSeconds);
        return new BgpOpenMessage(BgpConstants.Version, asn > ushort.MaxValue ? BgpConstants.AsTrans : (ushort)asn, hold,
            IdOf(_config.RouterId), _localCapabilities);
    }

    private static uint IdOf(IPAddress address) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.MapToIPv4().GetAddressBytes());

    private void Become(BgpState state)
    {
        if (_state == state) return;
        _log.Debug("BGP {0}: {1} -> {2}", PeerAddress, _state, state);
        _state = state;
        _since = DateTimeOffset.UtcNow;
        Publish();
    }

    private void SetError(string error, bool log = true)
    {
        _lastError = error;
        if (log) _log.Warning("BGP {0}: {1}", PeerAddress, error);
        Publish();
    }

    private void Publish() => Context.Parent.Tell(new BgpSessionStatus(new BgpPeerStatus
    {
        Address = PeerAddress.ToString(),
        Asn = _config.Peer.Asn,
        State = _state.ToString(),
        Since = _since,
        EstablishedSince = _establishedSince,
        PrefixesSent = _prefixesSent,
        PrefixesReceivedIgnored = _received,
        LastError = _lastError,
        NegotiatedCapabilities = _negotiated,
        HoldTimeSeconds = (int)_holdTime.TotalSeconds,
        KeepaliveSeconds = (int)_keepalive.TotalSeconds,
        LocalAddress = _conn?.Local.Address.ToString(),
        Passive = _config.Peer.Passive,
        EstablishedTransitions = _establishedCount,
    }));

    private void RestartHoldTimer(TimeSpan hold)
    {
        if (hold > TimeSpan.Zero) Timers.StartSingleTimer("hold", new HoldExpired(), hold);
        else Timers.Cancel("hold");
    }

    private void OnHoldExpired()
    {
        if (_conn is null) return;
        Fail(BgpError.Of(BgpErrorCode.HoldTimerExpired, 0, $"no message from the peer for {_holdTime.TotalSeconds:0} s"));
    }

    /// <summary>Sends the NOTIFICATION for an error we detected and takes the session down.</summary>
    private void Fail(BgpError error)
    {
        _conn?.Close(BgpMessageEncoder.EncodeNotification(error));
        Down($"sent {error}", restart: true);
    }

    private void Abort()
    {
        _conn?.Abort();
        Down("connection aborted locally", restart: true);
    }

    /// <summary>Back to Idle; unless told otherwise, connect again after the (backed-off) retry time.</summary>
    private void Down(string reason, bool restart)
    {
        var wasEstablished = _state == BgpState.Established;
        _conn = null;
        _pending?.Close();
        _pending = null;
        _remoteOpen = null;
        _encoder = null;
        _establishedSince = null;
        _prefixesSent = 0;
        Timers.Cancel("hold");
        Timers.Cancel("keepalive");
        if (wasEstablished) _failures = 0;
        else _failures++;
        _holdTime = _config.Peer.HoldTime;
        _lastError = reason;
        _log.Warning("BGP {0}: session down: {1}", PeerAddress, reason);
        Become(BgpState.Idle);
        Publish();
        if (!restart) return;
        if (_config.Peer.Passive) Become(BgpState.Active);
        else Timers.StartSingleTimer("connect-retry", new ConnectRetryExpired(), RetryDelay());
    }
}

/// <summary>Stop the session: NOTIFICATION Cease with this subcode, then the actor stops.</summary>
public sealed record BgpShutdown(byte CeaseSubcode = BgpCeaseSubcode.AdministrativeShutdown);
