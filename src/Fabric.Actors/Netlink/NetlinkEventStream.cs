using System.Net.Sockets;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>One subscription: its own multicast socket, read by one loop that calls back in kernel order.
/// Each subscriber having its own socket means a slow one overruns only itself.</summary>
internal sealed class NetlinkEventStream : IDisposable
{
    private const int ReceiveBufferSize = 64 * 1024;
    private readonly Socket _socket;
    private readonly Action<KernelEvent> _onEvent;
    private readonly CancellationTokenSource _closing = new();
    private int _disposed;

    /// <summary>Ends when the subscription is disposed; faults if the callback threw (delivery stops there).</summary>
    public Task Completion { get; }

    public NetlinkEventStream(Socket socket, Action<KernelEvent> onEvent)
    {
        _socket = socket;
        _onEvent = onEvent;
        Completion = Task.Run(ReadLoopAsync);
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[ReceiveBufferSize];
        while (!_closing.IsCancellationRequested)
        {
            int received;
            try { received = await _socket.ReceiveAsync(buffer, SocketFlags.None, _closing.Token).ConfigureAwait(false); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                // The kernel reports an overrun once per congestion episode, and may drop more until the backlog
                // drains: the subscriber has to dump after this point, not rely on the events still queued.
                _onEvent(new KernelResyncNeeded("kernel event socket overrun (ENOBUFS): events were lost"));
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            Deliver(buffer.AsSpan(0, received));
        }
    }

    private void Deliver(ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (true)
        {
            KernelEvent? kernelEvent;
            try
            {
                if (!reader.TryRead(out var message)) return;
                kernelEvent = KernelEventDecoder.Decode(message);
            }
            catch (NetlinkFormatException e)
            {
                // The rest of this datagram cannot be trusted; the subscriber must rebuild from a dump.
                _onEvent(new KernelResyncNeeded($"malformed kernel event: {e.Message}"));
                return;
            }
            if (kernelEvent is not null) _onEvent(kernelEvent);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _closing.Cancel();
        _socket.Dispose();
    }
}
