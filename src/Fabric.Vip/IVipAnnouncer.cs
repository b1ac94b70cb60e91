using System.Net;

namespace Fabric.Vip;

/// <summary>Makes the network send a virtual IP's traffic to this node (gratuitous ARP / unsolicited NA on
/// Layer 2, or a provider API call), and stops doing so. Only the current lease owner calls it.</summary>
public interface IVipAnnouncer : IDisposable
{
    /// <summary>Short name shown in `fabric get vips`: "layer2", "hcloud", "equinix-metal".</summary>
    string Name { get; }

    /// <summary>Announce on takeover. Throws <see cref="AnnounceException"/> with an operator-readable reason on failure.</summary>
    Task AnnounceAsync(VipAnnouncement vip, CancellationToken ct);

    /// <summary>Announce again while still owning (periodic refresh). Providers may make this a cheap check.</summary>
    Task RefreshAsync(VipAnnouncement vip, CancellationToken ct);

    /// <summary>Stop announcing (lease lost or released).</summary>
    Task WithdrawAsync(VipAnnouncement vip, CancellationToken ct);
}

/// <summary>A VIP being announced: the address, the link it lives on, and the lease epoch (fencing token).</summary>
public sealed record VipAnnouncement(IPAddress Ip, string Link, long Epoch);

public sealed class AnnounceException(string message, Exception? inner = null) : Exception(message, inner);
