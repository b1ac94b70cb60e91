using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Makes the kernel's routes match the merged RouteSpecs, with replace semantics. Routes that carry
/// Fabric's protocol mark and that no spec wants are removed; routes anybody else made are left alone.
/// Addresses and links are inputs too: a route whose gateway is not reachable yet is retried when they change.</summary>
public sealed class RouteSpecController(IActorRef store, IKernel kernel) : ControllerActor(store)
{
    protected override string Name => nameof(RouteSpecController);
    protected override IReadOnlyList<ResourceKind> Inputs { get; } =
        [ResourceTypes.RouteSpec.Kind, ResourceTypes.RouteStatus.Kind, ResourceTypes.LinkStatus.Kind, ResourceTypes.AddressStatus.Kind];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.ApplyStatus.Kind];

    public static Props Props(IActorRef store, IKernel kernel) => Akka.Actor.Props.Create(() => new RouteSpecController(store, kernel));

    private readonly record struct RouteKey(string Family, uint Table, string Destination, uint Metric);

    private readonly InFlightRequests<RouteKey> inFlight = new(TimeSpan.FromSeconds(3));
    /// <summary>Deletions whose status has not gone yet: reconciles triggered meanwhile would delete them again,
    /// doubling the kernel's work and filling the socket with "not found" errors.</summary>
    private readonly InFlightRequests<(RouteKey, int, string)> removing = new(TimeSpan.FromSeconds(3));

    protected override async Task<IReadOnlyCollection<ControllerOutput>> ReconcileAsync(InputView inputs)
    {
        var links = inputs.Specs<LinkStatus>(ResourceTypes.LinkStatus).ToDictionary(l => l.Name);
        var present = inputs.Specs<RouteStatus>(ResourceTypes.RouteStatus)
            .GroupBy(r => new RouteKey(r.Family, r.Table, r.Destination, r.Metric))
            .ToDictionary(g => g.Key, g => g.ToList());
        var wanted = new HashSet<RouteKey>();
        var work = new List<Task<ControllerOutput>>();
        var outputs = new List<ControllerOutput>();

        foreach (var spec in inputs.Specs<RouteSpec>(ResourceTypes.RouteSpec))
        {
            var linkIndex = 0;
            if (spec.OutLinkName != "")
            {
                if (!links.TryGetValue(spec.OutLinkName, out var link))
                {
                    outputs.Add(ApplyStatuses.Of(ResourceTypes.RouteSpec, spec.SpecId, ApplyStatuses.Pending, $"waiting for link {spec.OutLinkName} to appear"));
                    continue;
                }
                linkIndex = link.Index;
            }
            var key = new RouteKey(spec.Family, spec.Table, spec.Destination, spec.Metric);
            wanted.Add(key);
            var satisfied = present.TryGetValue(key, out var existing) && existing.Any(r => Satisfies(r, spec, linkIndex));
            // Pending() also clears a request whose status has arrived, so it must see every key.
            if (inFlight.Pending(key, satisfied) || satisfied)
            {
                outputs.Add(ApplyStatuses.Of(ResourceTypes.RouteSpec, spec.SpecId, ApplyStatuses.Applied));
                continue;
            }
            var route = ToKernel(spec, linkIndex);
            inFlight.Requested(key);
            work.Add(ApplyStatuses.Attempt(ResourceTypes.RouteSpec, spec.SpecId, () => kernel.ReplaceRouteAsync(route), () => inFlight.Failed(key)));
        }

        inFlight.Retain(wanted);
        if (inFlight.Any) RequeueAfter(inFlight.Grace);
        var unwanted = present
            .Where(kv => !wanted.Contains(kv.Key))
            .SelectMany(kv => kv.Value.Where(r => r.Protocol == FabricMarks.Protocol).Select(r => (Key: (kv.Key, r.OutLinkIndex, r.Gateway), Route: r)))
            .ToList();
        removing.Retain(unwanted.Select(u => u.Key).ToHashSet());
        var removals = new List<Task>();
        foreach (var (key, route) in unwanted)
        {
            if (removing.Pending(key, present: false)) continue;
            removing.Requested(key);
            removals.Add(RemoveAsync(FromStatus(route)));
        }
        if (removing.Any) RequeueAfter(removing.Grace);
        await Task.WhenAll(removals.Concat(work)).ConfigureAwait(false);
        outputs.AddRange(work.Select(t => t.Result));
        return outputs;
    }

    private async Task RemoveAsync(KernelRoute route)
    {
        try { await kernel.DeleteRouteAsync(route).ConfigureAwait(false); }
        catch (KernelException e) when (e.Errno is 3 or 19 or 2) { }
    }

    private static bool Satisfies(RouteStatus r, RouteSpec spec, int linkIndex) =>
        r.Gateway == spec.Gateway && r.Source == spec.Source && r.Mtu == spec.Mtu
        && (linkIndex == 0 || r.OutLinkIndex == linkIndex);

    private static KernelRoute ToKernel(RouteSpec spec, int linkIndex)
    {
        var family = spec.Family == "inet6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return new KernelRoute
        {
            Family = family,
            Destination = Destination(spec.Destination, family),
            Gateway = spec.Gateway == "" ? null : IPAddress.Parse(spec.Gateway),
            Source = spec.Source == "" ? null : IPAddress.Parse(spec.Source),
            OutLinkIndex = linkIndex,
            Table = spec.Table,
            Metric = spec.Metric,
            Mtu = spec.Mtu,
            Protocol = FabricMarks.Protocol,
            Scope = spec.Scope == "link" ? (byte)253 : (byte)0,
        };
    }

    private static KernelRoute FromStatus(RouteStatus r)
    {
        var family = r.Family == "inet6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork;
        return new KernelRoute
        {
            Family = family, Destination = Destination(r.Destination, family), Table = r.Table, Metric = r.Metric,
            OutLinkIndex = r.OutLinkIndex, Protocol = (byte)r.Protocol,
            Gateway = r.Gateway == "" ? null : IPAddress.Parse(r.Gateway),
        };
    }

    private static IpPrefix Destination(string text, AddressFamily family) =>
        text != "" ? IpPrefix.Parse(text)
            : new IpPrefix(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
}
