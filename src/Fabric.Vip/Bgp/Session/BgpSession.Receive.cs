using System.Net;
using Akka.Actor;
using Akka.Event;
using System.Net.Sockets;
using Fabric.Vip.Bgp.Codec;
using Fabric.Vip.Bgp.Transport;

namespace Fabric.Vip.Bgp.Session;

/// <summary>What arrives from the peer, per state.</summary>
public sealed partial class BgpSession
{
    private void OnFramingError(BgpConnection.FramingError f)
    {
        if (f.Connection == _pending) { DropPending(f.Error); return; }
        if (f.Connection != _conn) return;
        Fail(f.Error);
    }

    private void OnClosed(BgpConnection.Closed c)
    {
        if (c.Connection == _pending) { _pending = null; return; }
        if (c.Connection != _conn) return;
        Down($"TCP: {c.Reason}", restart: true);
    }

    private void DropPending(BgpError error)
    {
        _pending?.Close(BgpMessageEncoder.EncodeNotification(error));
        _pending = null;
    }

    private void OnMessage(BgpConnection conn, byte[] bytes)
    {
        if (conn != _conn && conn != _pending) return;
        var result = BgpMessageDecoder.Decode(bytes, _decodeOptions);
        if (result.Error is { } error)
        {
            if (conn == _pending) DropPending(error);
            else Fail(error);
            return;
        }
        var message = result.Message!;
        if (message is BgpNotificationMessage n)
        {
            if (conn == _pending) { _pending.Close(); _pending = null; return; }
            _conn!.Close();
            Down($"received {n}", restart: true);
            return;
        }
        if (conn == _pending || (_pending is not null && message is BgpOpenMessage))
        {
            if (message is not BgpOpenMessage collidingOpen)
            {
                DropPending(BgpError.Of(BgpErrorCode.Fsm, BgpFsmSubcode.UnexpectedInOpenSent, "expected OPEN"));
                return;
            }
            if (!ResolveCollision(conn, collidingOpen)) return;
        }
        if (_holdTime > TimeSpan.Zero && _state >= BgpState.OpenConfirm) RestartHoldTimer(_holdTime);
        switch (_state, message)
        {
            case (BgpState.OpenSent, BgpOpenMessage open): OnOpen(open); break;
            case (BgpState.OpenConfirm, BgpKeepaliveMessage): OnEstablished(); break;
            case (BgpState.Established, BgpKeepaliveMessage): break;
            case (BgpState.Established, BgpUpdateMessage update): OnUpdate(update); break;
            case (BgpState.Established, BgpRouteRefreshMessage refresh): OnRouteRefresh(refresh); break;
            case (BgpState.OpenSent, _):
                Fail(BgpError.Of(BgpErrorCode.Fsm, BgpFsmSubcode.UnexpectedInOpenSent, $"{message.Type} in OpenSent")); break;
            case (BgpState.OpenConfirm, _):
                Fail(BgpError.Of(BgpErrorCode.Fsm, BgpFsmSubcode.UnexpectedInOpenConfirm, $"{message.Type} in OpenConfirm")); break;
            case (BgpState.Established, _):
                Fail(BgpError.Of(BgpErrorCode.Fsm, BgpFsmSubcode.UnexpectedInEstablished, $"{message.Type} in Established")); break;
        }
    }

    /// <summary>
    /// RFC 4271 §6.8: with two connections, the one opened by the speaker with the higher BGP identifier survives.
    /// Returns whether <paramref name="from"/> survived (and is now the session's connection).
    /// </summary>
    private bool ResolveCollision(BgpConnection from, BgpOpenMessage open)
    {
        var other = from == _conn ? _pending! : _conn!;
        var localWins = IdOf(_config.RouterId) > open.BgpId;
        var survivor = (from.Inbound, other.Inbound) switch
        {
            (false, true) => localWins ? from : other,
            (true, false) => localWins ? other : from,
            _ => from,
        };
        var loser = survivor == from ? other : from;
        _log.Info("BGP {0}: connection collision, keeping the {1} connection", PeerAddress, survivor.Inbound ? "inbound" : "outbound");
        loser.Close(BgpMessageEncoder.EncodeNotification(BgpErrorCode.Cease, BgpCeaseSubcode.ConnectionCollisionResolution, []));
        _pending = null;
        if (survivor != _conn)
        {
            _conn = survivor;
            _state = BgpState.OpenSent; // the surviving connection has exchanged only OPENs
            RestartHoldTimer(_config.OpenHoldTime);
        }
        return survivor == from;
    }

    private void OnOpen(BgpOpenMessage open)
    {
        var peer = _config.Peer;
        var fourOctet = open.Capabilities.FourOctetAs is not null && _localCapabilities.FourOctetAs is not null;
        var remoteAs = fourOctet ? open.Capabilities.FourOctetAs!.Value : open.MyAs;
        var expectedAs = fourOctet || peer.Asn <= ushort.MaxValue ? peer.Asn : BgpConstants.AsTrans;
        if (remoteAs != expectedAs)
        {
            Fail(BgpError.Of(BgpErrorCode.Open, BgpOpenSubcode.BadPeerAs, $"peer AS {remoteAs}, configured {peer.Asn}"));
            return;
        }
        if (!_config.IsEbgp && open.BgpId == IdOf(_config.RouterId))
        {
            Fail(BgpError.Of(BgpErrorCode.Open, BgpOpenSubcode.BadBgpIdentifier, "iBGP peer has our BGP identifier"));
            return;
        }
        _remoteOpen = open;
        _decodeOptions = new BgpDecodeOptions(fourOctet);
        var hold = Math.Min(open.HoldTime, (int)peer.HoldTime.TotalSeconds);
        _holdTime = TimeSpan.FromSeconds(hold);
        _keepalive = hold == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Max(1, Math.Min(peer.KeepaliveTime.TotalSeconds, hold / 3)));
        _negotiated = BgpCapabilities.Negotiated(_localCapabilities, open.Capabilities);
        var families = _localCapabilities.EffectiveFamilies.Intersect(open.Capabilities.EffectiveFamilies).ToHashSet();
        var local = _conn!.Local.Address;
        var nextHopV4 = peer.NextHopIPv4 ?? (local.AddressFamily == AddressFamily.InterNetwork ? local : null);
        var nextHopV6 = peer.NextHopIPv6 ?? (local.AddressFamily == AddressFamily.InterNetworkV6 ? local : null);
        _encoder = new BgpOutboundEncoder(_config.LocalAsn, _config.IsEbgp, new BgpEncodeOptions(fourOctet), families, nextHopV4, nextHopV6);
        _conn.Send(BgpMessageEncoder.EncodeKeepalive());
        if (_keepalive > TimeSpan.Zero) Timers.StartPeriodicTimer("keepalive", new KeepaliveDue(), _keepalive);
        RestartHoldTimer(_holdTime);
        Become(BgpState.OpenConfirm);
    }

    private void OnEstablished()
    {
        _establishedSince = DateTimeOffset.UtcNow;
        _establishedCount++;
        _failures = 0;
        _lastError = null;
        _log.Info("BGP {0}: Established (hold {1} s, {2})", PeerAddress, _holdTime.TotalSeconds, string.Join(", ", _negotiated));
        Become(BgpState.Established);
        Context.Parent.Tell(new BgpSessionEstablished(PeerAddress));
    }

    private void OnUpdate(BgpUpdateMessage update)
    {
        if (update.Attributes.TreatAsWithdraw is { } malformed)
            _log.Warning("BGP {0}: malformed UPDATE treated as withdraw (RFC 7606): {1}", PeerAddress, malformed);
        var announced = update.AnnouncedCount;
        if (announced == 0) return;
        _received += announced;
        Publish();
    }

    private void OnRouteRefresh(BgpRouteRefreshMessage refresh)
    {
        if (refresh.Subtype != BgpRouteRefreshMessage.Request) return; // BoRR/EoRR concern the peer's routes, which we drop
        var family = new BgpAfiSafi(refresh.Afi, refresh.Safi);
        if (_encoder?.Families.Contains(family) == true) Context.Parent.Tell(new BgpRefreshRequested(PeerAddress, family));
    }

    private void OnRoutesChanged(BgpRoutesChanged changed)
    {
        if (_state != BgpState.Established || _encoder is null) return;
        var output = new List<byte[]>();
        _encoder.Withdraw(changed.Withdraw, output);
        var problems = new List<string>();
        _encoder.Announce(changed.Announce, output, problems);
        _conn!.Send(output);
        foreach (var p in problems) SetError(p);
    }

    private void OnFullTable(BgpFullTable table)
    {
        if (_state != BgpState.Established || _encoder is null) return;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var output = new List<byte[]>();
        var problems = new List<string>();
        var enhanced = _negotiated.Contains("enhanced-route-refresh");
        if (table.RefreshFamily is { } family)
        {
            if (enhanced) output.Add(BgpMessageEncoder.EncodeRouteRefresh(new(family.Afi, BgpRouteRefreshMessage.BeginningOfRefresh, family.Safi)));
            _encoder.Announce(table.Routes.Where(r => BgpOutboundEncoder.FamilyOf(r.Prefix) == family), output, problems);
            if (enhanced) output.Add(BgpMessageEncoder.EncodeRouteRefresh(new(family.Afi, BgpRouteRefreshMessage.EndOfRefresh, family.Safi)));
        }
        else
        {
            _prefixesSent = _encoder.Announce(table.Routes, output, problems);
            // End-of-RIB (RFC 4724) lets a restarting or waiting peer know our initial table is complete.
            foreach (var f in _encoder.Families.OrderBy(f => f.Afi)) output.Add(BgpMessageEncoder.EncodeEndOfRib(f));
        }
        _conn!.Send(output);
        _log.Info("BGP {0}: table of {1} prefixes in {2} UPDATEs encoded in {3:0.0} ms", PeerAddress, table.Routes.Count, output.Count,
            System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        foreach (var p in problems) SetError(p);
        Publish();
    }
}
