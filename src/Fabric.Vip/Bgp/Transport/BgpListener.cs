using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;

namespace Fabric.Vip.Bgp.Transport;

/// <summary>Accepts inbound BGP connections on one address family and hands each socket to the target.</summary>
public sealed class BgpListener : ReceiveActor, IWithTimers
{
    public ITimerScheduler Timers { get; set; } = null!;
    public sealed record Accepted(Socket Socket);
    private sealed record Bound(Socket Socket);
    private sealed record Failed(string Reason);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Socket? _socket;

    public static Props Props(IPEndPoint bind, IBgpSocketFactory sockets, IReadOnlyList<(IPAddress Peer, string Password)> md5Keys, IActorRef target) =>
        Akka.Actor.Props.Create(() => new BgpListener(bind, sockets, md5Keys, target));

    public BgpListener(IPEndPoint bind, IBgpSocketFactory sockets, IReadOnlyList<(IPAddress Peer, string Password)> md5Keys, IActorRef target)
    {
        Receive<Bound>(b =>
        {
            _socket = b.Socket;
            _log.Info("BGP listening on {0}", bind);
            _ = AcceptLoop(b.Socket, target);
        });
        Receive<Failed>(f =>
        {
            _log.Error("BGP listen on {0} failed: {1}; retrying in 5 s", bind, f.Reason);
            Timers.StartSingleTimer("retry", "bind", TimeSpan.FromSeconds(5));
        });
        Receive<string>(_ => BindAsync(bind, sockets, md5Keys));
        BindAsync(bind, sockets, md5Keys);
    }

    private void BindAsync(IPEndPoint bind, IBgpSocketFactory sockets, IReadOnlyList<(IPAddress Peer, string Password)> md5Keys)
    {
        var self = Self;
        Task.Run(() =>
        {
            var s = sockets.Create(bind.AddressFamily);
            try
            {
                s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                if (bind.AddressFamily == AddressFamily.InterNetworkV6) s.DualMode = false;
                foreach (var (peer, password) in md5Keys)
                    if (peer.AddressFamily == bind.AddressFamily) TcpMd5.Set(s, peer, password);
                s.Bind(bind);
                s.Listen(64);
                return s;
            }
            catch
            {
                s.Dispose();
                throw;
            }
        }).PipeTo(self, success: s => new Bound(s), failure: e => new Failed(e.Message));
    }

    private static async Task AcceptLoop(Socket listener, IActorRef target)
    {
        try
        {
            while (true) target.Tell(new Accepted(await listener.AcceptAsync()));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    protected override void PostStop() => _socket?.Dispose();
}
