namespace Fabric.Actors.Kernel;

/// <summary>The port through which controllers see and change the kernel's network state.
/// The real adapter speaks rtnetlink; tests use an in-memory kernel. Failures throw <see cref="KernelException"/>.</summary>
public interface IKernel : IDisposable
{
    Task<IReadOnlyList<KernelLink>> GetLinksAsync(CancellationToken ct = default);
    Task<IReadOnlyList<KernelAddress>> GetAddressesAsync(CancellationToken ct = default);
    /// <summary>Routes of every table, IPv4 and IPv6 (cache and local-table entries included; callers filter).</summary>
    Task<IReadOnlyList<KernelRoute>> GetRoutesAsync(CancellationToken ct = default);

    /// <summary>Start delivering kernel events to <paramref name="onEvent"/>, in kernel order, on a background thread.
    /// Subscribe before dumping so nothing falls between the dump and the first event. Dispose to stop.</summary>
    IDisposable Subscribe(Action<KernelEvent> onEvent);

    Task CreateLinkAsync(LinkRequest request, CancellationToken ct = default);
    Task SetLinkAsync(LinkRequest request, CancellationToken ct = default);
    Task DeleteLinkAsync(string name, CancellationToken ct = default);

    /// <summary>Add or replace (NLM_F_CREATE|NLM_F_REPLACE) an address, stamped with <see cref="KernelAddress.Protocol"/>.</summary>
    Task AddAddressAsync(KernelAddress address, CancellationToken ct = default);
    Task DeleteAddressAsync(KernelAddress address, CancellationToken ct = default);

    /// <summary>Add or replace (NLM_F_CREATE|NLM_F_REPLACE) a route.</summary>
    Task ReplaceRouteAsync(KernelRoute route, CancellationToken ct = default);
    Task DeleteRouteAsync(KernelRoute route, CancellationToken ct = default);

    Task SetHostnameAsync(string hostname, CancellationToken ct = default);
    Task<string> GetHostnameAsync(CancellationToken ct = default);
}
