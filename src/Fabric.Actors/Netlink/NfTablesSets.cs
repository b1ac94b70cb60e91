using System.Net;
using System.Net.Sockets;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>nf_tables address families (NFPROTO_*), as set element messages name a table's family.</summary>
public enum NftFamily : byte { Inet = 1, Ip = 2, Arp = 3, Ip6 = 10 }

/// <summary>A named set in a table.</summary>
public readonly record struct NftSetRef(NftFamily Family, string Table, string Set)
{
    public override string ToString() => $"{Family.ToString().ToLowerInvariant()} {Table} {Set}";
}

public enum NftChangeKind { Add, Delete, Flush }

/// <summary>One message of a batch: add elements (with a timeout for sets with <c>flags timeout</c>; re-adding an
/// existing element sets its timeout anew on kernels since 6.11, checked by the real-kernel tests), delete
/// elements, or flush the set.</summary>
public sealed record NftSetChange(NftChangeKind Kind, NftSetRef Set, IReadOnlyList<IPAddress> Keys, TimeSpan? Timeout = null)
{
    public static NftSetChange Add(NftSetRef set, IPAddress key, TimeSpan? timeout = null) => new(NftChangeKind.Add, set, [key], timeout);
    public static NftSetChange Delete(NftSetRef set, IPAddress key) => new(NftChangeKind.Delete, set, [key]);
    public static NftSetChange Flush(NftSetRef set) => new(NftChangeKind.Flush, set, []);

    public override string ToString() => Kind switch
    {
        NftChangeKind.Flush => $"flush set {Set}",
        _ => $"{(Kind == NftChangeKind.Add ? "add" : "delete")} element {Set} {{ {string.Join(", ", Keys)}{(Timeout is { } t ? $" timeout {NfTablesCodec.TimeoutMilliseconds(t)}ms expires {NfTablesCodec.TimeoutMilliseconds(t)}ms" : "")} }}",
    };
}

/// <summary>Changes nf_tables set elements over native nfnetlink (NETLINK_NETFILTER), without spawning nft: one
/// atomic batch per call, pipelined over one socket, so an owner can refresh its elements ten times a second.
/// Tables and sets themselves are made by nft from a ruleset file; this only moves elements.</summary>
public sealed class NfTablesSets : IDisposable
{
    private readonly NetlinkConnection _connection;

    private NfTablesSets(NetlinkConnection connection) => _connection = connection;

    /// <summary>Opens the socket in the caller's network namespace, or in the one at <paramref name="netnsPath"/>.</summary>
    public static NfTablesSets Open(string? netnsPath = null) =>
        new(new NetlinkConnection(NetworkNamespace.Run(netnsPath, () => NetlinkSocketFactory.Open(Native.NetlinkNetfilter)), packDatagrams: false));

    /// <summary>Applies the changes as one transaction. Throws <see cref="KernelException"/> naming the batch when
    /// the kernel refuses any of them (nothing is applied then); ENOENT from a delete means the element or set
    /// is not there.</summary>
    public async Task ApplyAsync(IReadOnlyList<NftSetChange> changes, CancellationToken ct = default)
    {
        try { await _connection.RequestAsync(seq => NfTablesCodec.Batch(seq, changes), ct).ConfigureAwait(false); }
        catch (NetlinkError e) { throw e.For($"nftables: {string.Join("; ", changes)}"); }
        catch (ObjectDisposedException) when (ct.IsCancellationRequested) { throw new OperationCanceledException(ct); }
    }

    internal static byte[] Encode(uint seq, IReadOnlyList<NftSetChange> changes) => NfTablesCodec.Batch(seq, changes);

    public void Dispose() => _connection.Dispose();
}
