using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Akka.Actor;
using Fabric.Vip.Bgp.Codec;

namespace Fabric.Vip.Bgp.Transport;

/// <summary>
/// One TCP connection: a read loop that cuts the stream into messages and tells the owner, and a write loop that
/// coalesces queued messages into large sends. The owner never blocks on the socket.
/// </summary>
public sealed class BgpConnection
{
    public sealed record Received(BgpConnection Connection, byte[] Message);
    /// <summary>A header that fails RFC 4271 §6.1; the stream cannot be resynchronised after it.</summary>
    public sealed record FramingError(BgpConnection Connection, BgpError Error);
    public sealed record Closed(BgpConnection Connection, string Reason);

    private readonly Socket _socket;
    private readonly Channel<byte[]> _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cts = new();
    private int _closing;

    public BgpConnection(Socket socket, bool inbound)
    {
        _socket = socket;
        Inbound = inbound;
        Local = BgpSocketOptions.Unmap(socket.LocalEndPoint);
        Remote = BgpSocketOptions.Unmap(socket.RemoteEndPoint);
    }

    public bool Inbound { get; }
    public IPEndPoint Local { get; }
    public IPEndPoint Remote { get; }

    public void Start(IActorRef owner)
    {
        _ = ReadLoop(owner);
        _ = WriteLoop(owner);
    }

    public void Send(byte[] message) => _outbox.Writer.TryWrite(message);

    public void Send(List<byte[]> messages)
    {
        foreach (var m in messages) _outbox.Writer.TryWrite(m);
    }

    /// <summary>Sends what is queued (and <paramref name="last"/>, e.g. a NOTIFICATION), then closes. Idempotent.</summary>
    public void Close(byte[]? last = null)
    {
        if (Interlocked.Exchange(ref _closing, 1) == 1) return;
        if (last is not null) _outbox.Writer.TryWrite(last);
        _outbox.Writer.TryComplete();
    }

    /// <summary>Drops the connection without sending anything more (as a crash would).</summary>
    public void Abort()
    {
        Interlocked.Exchange(ref _closing, 1);
        _outbox.Writer.TryComplete();
        _cts.Cancel();
        try { _socket.Close(0); } catch (ObjectDisposedException) { }
    }

    private async Task ReadLoop(IActorRef owner)
    {
        var buffer = new byte[64 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _cts.Token);
                if (n == 0) { owner.Tell(new Closed(this, "connection closed by peer")); return; }
                filled += n;
                var offset = 0;
                while (filled - offset >= BgpConstants.HeaderLength)
                {
                    var error = BgpMessageDecoder.CheckHeader(buffer.AsSpan(offset, BgpConstants.HeaderLength), out var length, out _);
                    if (error is not null) { owner.Tell(new FramingError(this, error)); return; }
                    if (filled - offset < length) break;
                    owner.Tell(new Received(this, buffer.AsSpan(offset, length).ToArray()));
                    offset += length;
                }
                Buffer.BlockCopy(buffer, offset, buffer, 0, filled - offset);
                filled -= offset;
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            owner.Tell(new Closed(this, e is SocketException se ? se.SocketErrorCode.ToString() : "closed"));
        }
    }

    private async Task WriteLoop(IActorRef owner)
    {
        var batch = new byte[256 * 1024];
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_cts.Token))
            {
                var used = 0;
                while (used < batch.Length - BgpConstants.MaxMessageLength && reader.TryRead(out var m))
                {
                    m.CopyTo(batch, used);
                    used += m.Length;
                }
                var sent = 0;
                while (sent < used) sent += await _socket.SendAsync(batch.AsMemory(sent, used - sent), SocketFlags.None, _cts.Token);
            }
            // Completed by Close: everything queued went out; FIN after the last byte.
            try { _socket.Shutdown(SocketShutdown.Send); } catch (SocketException) { }
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            owner.Tell(new Closed(this, "send failed: " + (e is SocketException se ? se.SocketErrorCode.ToString() : "closed")));
        }
        finally
        {
            _cts.Cancel();
            try { _socket.Close(0); } catch (ObjectDisposedException) { }
        }
    }
}
