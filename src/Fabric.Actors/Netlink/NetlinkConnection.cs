using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>Pipelined request/reply over one netlink socket. Callers send concurrently; a single receive loop
/// matches replies to requests by sequence number, so a thousand requests cost a thousand sends and no thread each.
/// Changes waiting together go out in one datagram, and only the last change of a datagram asks for an ACK: the
/// kernel handles a datagram's messages in order and always answers a failed one with its error, so the last one's
/// ACK also confirms every earlier change of the datagram that got no error. A thousand changes cost a few
/// datagrams and a few replies instead of a thousand of each.</summary>
internal sealed class NetlinkConnection : IDisposable
{
    /// <summary>Bounds the ACKs that can pile up in the receive buffer; past it, the kernel would drop replies.</summary>
    private const int MaxInFlight = 1024;
    private const int ReceiveBufferSize = 64 * 1024; // the kernel caps one dump datagram at 32 KiB
    private const int DumpAttempts = 3;
    /// <summary>Requests waiting to go out are packed into one datagram up to this size: the kernel handles every
    /// message of a datagram in turn and ACKs each, so a burst costs a few sendmsg calls instead of one each.</summary>
    private const int MaxBatchBytes = 32 * 1024;

    private readonly Socket _socket;
    private readonly ConcurrentDictionary<uint, PendingRequest> _pending = new();
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);
    // A netlink socket runs one dump at a time (a second one gets EBUSY), so dumps take turns.
    private readonly SemaphoreSlim _dumpTurn = new(1);
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _receiveLoop;
    private readonly Channel<Outgoing> _outbox =
        Channel.CreateUnbounded<Outgoing>(new UnboundedChannelOptions { SingleReader = true });
    /// <summary>The ACK-requesting change that closes a datagram → the changes before it in that datagram which it
    /// confirms. Written before the datagram is sent: its reply can arrive before the send returns.</summary>
    private readonly ConcurrentDictionary<uint, uint[]> _confirms = new();
    private readonly Task _sendLoop;
    private readonly bool _packDatagrams;
    private int _sequence;
    private int _disposed;

    /// <param name="packDatagrams">False when every request must travel alone: an nfnetlink batch is read up to
    /// its end message and the rest of its datagram is dropped, so two batches must never share one.</param>
    public NetlinkConnection(Socket socket, bool packDatagrams = true)
    {
        _socket = socket;
        _packDatagrams = packDatagrams;
        _sequence = Environment.TickCount & 0x3fffffff;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _sendLoop = Task.Run(SendLoopAsync);
    }

    /// <summary>Sends a change and waits for its ACK. Throws <see cref="NetlinkError"/> when the kernel refuses.</summary>
    public async Task RequestAsync(Func<uint, byte[]> build, CancellationToken ct)
    {
        var request = new AckRequest();
        await ExchangeAsync(build, request, request.Task, ct).ConfigureAwait(false);
    }

    public async Task<T?> QueryAsync<T>(Func<uint, byte[]> build, MessageDecoder<T> decode, CancellationToken ct) where T : class
    {
        var request = new SingleReplyRequest<T>(decode);
        return await ExchangeAsync(build, request, request.Task, ct).ConfigureAwait(false);
    }

    public async Task<List<T>> DumpAsync<T>(Func<uint, byte[]> build, MessageDecoder<T> decode, CancellationToken ct) where T : class
    {
        await _dumpTurn.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var request = new DumpRequest<T>(decode);
                var (items, interrupted) = await ExchangeAsync(build, request, request.Task, ct).ConfigureAwait(false);
                if (!interrupted) return items;
                if (attempt == DumpAttempts)
                    throw new NetlinkError(4, $"dump interrupted by concurrent changes {DumpAttempts} times"); // EINTR
            }
        }
        finally { _dumpTurn.Release(); }
    }

    private async Task<T> ExchangeAsync<T>(Func<uint, byte[]> build, PendingRequest request, Task<T> reply, CancellationToken ct)
    {
        await ExchangeAsync(build, request, (Task)reply, ct).ConfigureAwait(false);
        return await reply.ConfigureAwait(false);
    }

    private async Task ExchangeAsync(Func<uint, byte[]> build, PendingRequest request, Task reply, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _inFlight.WaitAsync(ct).ConfigureAwait(false);
        var seq = (uint)Interlocked.Increment(ref _sequence);
        try
        {
            var bytes = build(seq);
            _pending[seq] = request;
            using var cancel = ct.Register(() => request.Fail(new OperationCanceledException(ct)));
            if (!_outbox.Writer.TryWrite(new Outgoing(seq, bytes, request is AckRequest))) throw new ObjectDisposedException(nameof(NetlinkKernel));
            await reply.ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(seq, out _);
            _inFlight.Release();
        }
    }

    private async Task SendLoopAsync()
    {
        var batch = new byte[MaxBatchBytes];
        var seqs = new List<uint>();
        var changes = new List<(uint Seq, int Offset)>();
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                var length = 0;
                seqs.Clear();
                changes.Clear();
                while (reader.TryPeek(out var next) && (length == 0 || _packDatagrams && length + next.Bytes.Length <= batch.Length))
                {
                    reader.TryRead(out next);
                    if (next.Bytes.Length > batch.Length) { await SendAsync(next.Bytes, [next.Seq]).ConfigureAwait(false); continue; }
                    next.Bytes.CopyTo(batch, length);
                    if (next.IsChange && (BinaryPrimitives.ReadUInt16LittleEndian(batch.AsSpan(length + 6)) & Nl.FAck) != 0)
                        changes.Add((next.Seq, length));
                    length += next.Bytes.Length;
                    seqs.Add(next.Seq);
                }
                if (length == 0) continue;
                ConfirmWithLastAck(batch, changes);
                await SendAsync(batch.AsMemory(0, length), seqs).ConfigureAwait(false);
            }
        }
        catch (ObjectDisposedException) { /* closing */ }
        // Requests queued while closing would otherwise wait for replies that can no longer come.
        FailAll(new ObjectDisposedException(nameof(NetlinkKernel)));
    }

    /// <summary>Clears NLM_F_ACK on every change of the datagram but the last, which will confirm them.</summary>
    private void ConfirmWithLastAck(byte[] batch, List<(uint Seq, int Offset)> changes)
    {
        if (changes.Count < 2) return;
        var confirmed = new uint[changes.Count - 1];
        for (var i = 0; i < confirmed.Length; i++)
        {
            var flags = batch.AsSpan(changes[i].Offset + 6, 2);
            BinaryPrimitives.WriteUInt16LittleEndian(flags, (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(flags) & ~Nl.FAck));
            confirmed[i] = changes[i].Seq;
        }
        _confirms[changes[^1].Seq] = confirmed;
    }

    private async Task SendAsync(ReadOnlyMemory<byte> datagram, IReadOnlyList<uint> seqs)
    {
        try { await _socket.SendAsync(datagram, SocketFlags.None).ConfigureAwait(false); }
        catch (SocketException e)
        {
            foreach (var seq in seqs)
            {
                _confirms.TryRemove(seq, out _);
                if (_pending.TryRemove(seq, out var request))
                    request.Fail(new NetlinkError(e.NativeErrorCode, "sending the request failed"));
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[ReceiveBufferSize];
        while (!_closing.IsCancellationRequested)
        {
            int received;
            try { received = await _socket.ReceiveAsync(buffer, SocketFlags.None, _closing.Token).ConfigureAwait(false); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.NoBufferSpaceAvailable)
            {
                // Replies were dropped; nobody can tell whose, so every waiter learns it rather than hanging.
                FailAll(new NetlinkError(105, "netlink replies were lost (receive buffer overrun); the request may or may not have been applied"));
                continue;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }
            Dispatch(buffer.AsSpan(0, received));
        }
        FailAll(new ObjectDisposedException(nameof(NetlinkKernel)));
    }

    private void Dispatch(ReadOnlySpan<byte> datagram)
    {
        var reader = new NetlinkMessageReader(datagram);
        while (true)
        {
            NetlinkMessage message;
            try { if (!reader.TryRead(out message)) return; }
            catch (NetlinkFormatException e) { FailAll(e); return; }
            // The reply to a datagram's last change settles the earlier ones: the errors among them came first.
            if (message.Type == Nl.Error && _confirms.TryRemove(message.Seq, out var confirmed))
                foreach (var seq in confirmed)
                    if (_pending.TryRemove(seq, out var earlier)) ((AckRequest)earlier).Confirm();
            if (!_pending.TryGetValue(message.Seq, out var request)) continue; // cancelled meanwhile
            try
            {
                if (request.OnMessage(message)) _pending.TryRemove(message.Seq, out _);
            }
            catch (NetlinkFormatException e)
            {
                _pending.TryRemove(message.Seq, out _);
                request.Fail(e);
            }
        }
    }

    private void FailAll(Exception error)
    {
        _confirms.Clear();
        foreach (var (seq, request) in _pending)
            if (_pending.TryRemove(seq, out _)) request.Fail(error);
    }

    private readonly record struct Outgoing(uint Seq, byte[] Bytes, bool IsChange);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _outbox.Writer.TryComplete();
        _closing.Cancel();
        _socket.Dispose();
        try { _receiveLoop.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { /* the loop reports through the waiters it fails */ }
        // The semaphores hold no handles and may still be released by requests unwinding; they are left to the GC.
        _closing.Dispose();
    }
}
