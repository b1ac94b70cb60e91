using System.Buffers.Binary;
using System.Net;

namespace Fabric.Actors.Netlink;

/// <summary>Encodes nf_tables set element changes as one nfnetlink batch (BATCH_BEGIN, the changes, BATCH_END),
/// which the kernel applies as one transaction: all or nothing, and atomic for packets. The layout is what
/// nft 1.0.6 sends for `add element` / `delete element` (see NfTablesCodecTests for the captured bytes), except
/// that every message carries the request's sequence number, so the kernel's error for any of them finds its
/// waiter, and the last change asks for the ACK that confirms the whole batch (errors for earlier messages are
/// delivered before it).</summary>
internal static class NfTablesCodec
{
    public static byte[] Batch(uint seq, IReadOnlyList<NftSetChange> changes)
    {
        if (changes.Count == 0) throw new ArgumentException("an nf_tables batch needs at least one change", nameof(changes));
        var size = 2 * (Nl.HeaderSize + Nfnl.GenMsgSize) + changes.Sum(MessageSizeBound);
        var buffer = new byte[size];
        var w = new NetlinkWriter(buffer);
        BatchMarker(ref w, Nfnl.BatchBegin, seq);
        for (var i = 0; i < changes.Count; i++) Change(ref w, changes[i], seq, ack: i == changes.Count - 1);
        BatchMarker(ref w, Nfnl.BatchEnd, seq);
        return w.ToArray();
    }

    private static void BatchMarker(ref NetlinkWriter w, ushort type, uint seq)
    {
        w.BeginMessage(type, Nl.FRequest, seq);
        GenMsg(ref w, family: 0, resId: Nfnl.SubsysNftables);
        w.EndMessage();
    }

    private static void GenMsg(ref NetlinkWriter w, byte family, ushort resId)
    {
        var h = w.Reserve(Nfnl.GenMsgSize);
        h[0] = family;
        h[1] = Nfnl.Version0;
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], resId);
    }

    private static void Change(ref NetlinkWriter w, NftSetChange change, uint seq, bool ack)
    {
        var (type, flags) = change.Kind switch
        {
            NftChangeKind.Add => (Nft.NewSetElem, (ushort)(Nl.FRequest | Nl.FCreate)),
            _ => (Nft.DelSetElem, Nl.FRequest),
        };
        w.BeginMessage(Nft.Type(type), (ushort)(flags | (ack ? Nl.FAck : 0)), seq);
        GenMsg(ref w, (byte)change.Set.Family, resId: 0);
        w.String(Nft.SetElemListTable, change.Set.Table);
        w.String(Nft.SetElemListSet, change.Set.Set);
        // A delete without elements flushes the whole set (nft_set_flush).
        if (change.Kind != NftChangeKind.Flush)
        {
            var elements = w.BeginNested(Nft.SetElemListElements, flagNested: true);
            foreach (var key in change.Keys)
            {
                var element = w.BeginNested(Nft.ListElem, flagNested: true);
                if (change.Timeout is { } timeout)
                {
                    // The expiration too, as nft sends for "timeout T expires T": re-adding an element with only its
                    // timeout restarts the countdown only when the timeout differs from the element's, so an owner
                    // renewing at a steady pace (the same remaining time each renewal) saw its element run out.
                    U64BigEndian(ref w, Nft.SetElemTimeout, TimeoutMilliseconds(timeout));
                    U64BigEndian(ref w, Nft.SetElemExpiration, TimeoutMilliseconds(timeout));
                }
                var k = w.BeginNested(Nft.SetElemKey, flagNested: true);
                w.Address(Nft.DataValue, key);
                w.EndNested(k);
                w.EndNested(element);
            }
            w.EndNested(elements);
        }
        w.EndMessage();
    }

    /// <summary>Whole milliseconds, rounded down so an element never outlives what was asked. Zero would mean
    /// "never expires" to the kernel, so it is refused here.</summary>
    internal static ulong TimeoutMilliseconds(TimeSpan timeout)
    {
        var ms = (long)Math.Floor(timeout.TotalMilliseconds);
        if (ms < 1) throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "an nf_tables element timeout must be at least 1 ms (0 means no timeout)");
        return (ulong)ms;
    }

    private static void U64BigEndian(ref NetlinkWriter w, ushort type, ulong value)
    {
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(v, value);
        w.Attr(type, v);
    }

    private static int MessageSizeBound(NftSetChange c) =>
        Nl.HeaderSize + Nfnl.GenMsgSize + 2 * (Nl.AttrHeaderSize + 260) + Nl.AttrHeaderSize + c.Keys.Count * 60;
}
