namespace Fabric.Actors.Netlink;

/// <summary>Turns one reply message into a value; null skips it (a family Fabric does not model).</summary>
internal delegate T? MessageDecoder<T>(in NetlinkMessage message);

/// <summary>A request waiting for its replies, found by sequence number on the receive loop.</summary>
internal abstract class PendingRequest
{
    /// <summary>Feeds one reply; true once the request is complete (and removed).</summary>
    public abstract bool OnMessage(in NetlinkMessage message);
    public abstract void Fail(Exception error);
}

/// <summary>A change request: done at the ACK, failed by an NLMSG_ERROR with an errno. A change sent without
/// NLM_F_ACK is confirmed instead by the ACK of a later change of its datagram (see NetlinkConnection).</summary>
internal sealed class AckRequest : PendingRequest
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Task Task => _done.Task;

    public void Confirm() => _done.TrySetResult();

    public override bool OnMessage(in NetlinkMessage message)
    {
        if (message.Type != Nl.Error) return false;
        if (NetlinkError.Parse(message) is { } error) _done.TrySetException(error);
        else _done.TrySetResult();
        return true;
    }

    public override void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>A dump: decoded parts collect until NLMSG_DONE. A dump the kernel flags as interrupted
/// (NLM_F_DUMP_INTR: the table changed under it) is reported so the caller can dump again.</summary>
internal sealed class DumpRequest<T>(MessageDecoder<T> decode) : PendingRequest where T : class
{
    private const ushort DumpInterrupted = 0x10;
    private readonly TaskCompletionSource<(List<T> Items, bool Interrupted)> _done =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<T> _items = [];
    private bool _interrupted;

    public Task<(List<T> Items, bool Interrupted)> Task => _done.Task;

    public override bool OnMessage(in NetlinkMessage message)
    {
        _interrupted |= (message.Flags & DumpInterrupted) != 0;
        switch (message.Type)
        {
            case Nl.Done:
                _done.TrySetResult((_items, _interrupted));
                return true;
            case Nl.Error:
                if (NetlinkError.Parse(message) is { } error) _done.TrySetException(error);
                else _done.TrySetResult((_items, _interrupted));
                return true;
            default:
                if (decode(message) is { } item) _items.Add(item);
                return false;
        }
    }

    public override void Fail(Exception error) => _done.TrySetException(error);
}

/// <summary>A query answered by exactly one message (RTM_GETLINK for one name), or an error.</summary>
internal sealed class SingleReplyRequest<T>(MessageDecoder<T> decode) : PendingRequest where T : class
{
    private readonly TaskCompletionSource<T?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Task<T?> Task => _done.Task;

    public override bool OnMessage(in NetlinkMessage message)
    {
        if (message.Type == Nl.Error)
        {
            if (NetlinkError.Parse(message) is { } error) _done.TrySetException(error);
            else _done.TrySetResult(null);
        }
        else _done.TrySetResult(decode(message));
        return true;
    }

    public override void Fail(Exception error) => _done.TrySetException(error);
}
