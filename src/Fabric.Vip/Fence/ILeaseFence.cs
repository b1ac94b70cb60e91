using System.Net;

namespace Fabric.Vip.Fence;

/// <summary>Keeps the kernel from answering for an elected address past the owner's lease, also when the agent is
/// gone: the owner opens the address for its remaining validity on acquire and on every renewal, and closes it on
/// loss or release. Without renewals the kernel closes it by itself when the lease ends.</summary>
public interface ILeaseFence
{
    /// <summary>The kernel may answer for <paramref name="ip"/> for <paramref name="validFor"/> from now. Completes
    /// when that is in effect (or the fence is off); never faults.</summary>
    Task OpenAsync(IPAddress ip, TimeSpan validFor);

    /// <summary>Stop answering for <paramref name="ip"/> now.</summary>
    void Close(IPAddress ip);
}

/// <summary>For addresses no ARP/NDP fence applies to (provider announcers) and for tests.</summary>
public sealed class NoLeaseFence : ILeaseFence
{
    public static readonly NoLeaseFence Instance = new();
    public Task OpenAsync(IPAddress ip, TimeSpan validFor) => Task.CompletedTask;
    public void Close(IPAddress ip) { }
}
