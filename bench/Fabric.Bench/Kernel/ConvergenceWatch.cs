using Fabric.Actors;
using System.Threading.Channels;
using Fabric.Actors.Kernel;

namespace Fabric.Bench.Kernel;

/// <summary>Counts, from netlink events, how many of the benchmark's addresses and routes exist on one link, and
/// completes the moment both counts reach their targets: no polling, so the time is the kernel's own.</summary>
public sealed class ConvergenceWatch : IDisposable
{
    private readonly HashSet<string> addresses = [];
    private readonly HashSet<string> routes = [];
    private readonly int link;
    private readonly Func<IpPrefix, bool> isOurs;
    private readonly IDisposable subscription;
    private readonly Channel<bool> changes = Channel.CreateUnbounded<bool>();

    public ConvergenceWatch(IKernel kernel, int linkIndex, Func<IpPrefix, bool> isOurs)
    {
        link = linkIndex;
        this.isOurs = isOurs;
        subscription = kernel.Subscribe(OnEvent);
        foreach (var a in kernel.GetAddressesAsync().Result) OnEvent(new AddressAdded(a));
        foreach (var r in kernel.GetRoutesAsync().Result) OnEvent(new RouteAdded(r));
    }

    public int Addresses { get { lock (addresses) return addresses.Count; } }
    public int Routes { get { lock (addresses) return routes.Count; } }

    private void OnEvent(KernelEvent e)
    {
        lock (addresses)
        {
            switch (e)
            {
                case AddressAdded { Address: var a } when a.LinkIndex == link && isOurs(a.Prefix): addresses.Add(a.Prefix.ToString()); break;
                case AddressDeleted { Address: var a } when a.LinkIndex == link: addresses.Remove(a.Prefix.ToString()); break;
                case RouteAdded { Route: var r } when r.OutLinkIndex == link && r.Table != 255 && isOurs(r.Destination): routes.Add(r.Destination.ToString()); break;
                case RouteDeleted { Route: var r } when r.OutLinkIndex == link && r.Table != 255: routes.Remove(r.Destination.ToString()); break;
                default: return;
            }
        }
        changes.Writer.TryWrite(true);
    }

    public async Task WaitAsync(int wantAddresses, int wantRoutes, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (Addresses != wantAddresses || Routes != wantRoutes)
                await changes.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"link {link}: wanted {wantAddresses} addresses and {wantRoutes} routes, saw {Addresses} and {Routes}");
        }
    }

    public void Dispose() => subscription.Dispose();
}
