using System.Collections.Concurrent;
using System.Net.Sockets;

namespace Fabric.Vip.Layer2;

/// <summary>Announces VIPs on their link: gratuitous ARP (request and reply form) for IPv4, unsolicited
/// Neighbour Advertisement for IPv6. A short burst on takeover survives a lost frame; refresh sends one.
/// Withdrawing sends nothing: the new owner's announcement is what moves traffic.</summary>
public sealed class Layer2Announcer(string? netnsPath = null, int burst = 3, TimeSpan? spacing = null) : IVipAnnouncer
{
    private readonly TimeSpan _spacing = spacing ?? TimeSpan.FromMilliseconds(5);
    private readonly ConcurrentDictionary<string, Lazy<Task<PacketSocket>>> _sockets = new(StringComparer.Ordinal);

    public string Name => "layer2";

    public async Task AnnounceAsync(VipAnnouncement vip, CancellationToken ct)
    {
        for (var i = 0; i < burst; i++)
        {
            if (i > 0) await Task.Delay(_spacing, ct);
            await SendOnceAsync(vip);
        }
    }

    public Task RefreshAsync(VipAnnouncement vip, CancellationToken ct) => SendOnceAsync(vip);

    public Task WithdrawAsync(VipAnnouncement vip, CancellationToken ct) => Task.CompletedTask;

    private async Task SendOnceAsync(VipAnnouncement vip)
    {
        try
        {
            var socket = await _sockets.GetOrAdd(vip.Link, link => new Lazy<Task<PacketSocket>>(() => PacketSocket.OpenAsync(link, netnsPath))).Value;
            if (vip.Ip.AddressFamily == AddressFamily.InterNetwork)
            {
                socket.Send(GratuitousArp.Request(vip.Ip, socket.Mac));
                socket.Send(GratuitousArp.Reply(vip.Ip, socket.Mac));
            }
            else
            {
                socket.Send(UnsolicitedNeighborAdvertisement.Build(vip.Ip, socket.Mac));
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            // A failed open must not stay cached: the link may appear later.
            _sockets.TryRemove(vip.Link, out _);
            throw new AnnounceException($"cannot announce {vip.Ip} on {vip.Link}: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        foreach (var s in _sockets.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully)) s.Value.Result.Dispose();
        _sockets.Clear();
    }
}
