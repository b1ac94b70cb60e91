using System.Net;
using Akka.Actor;
using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Makes the kernel's addresses match the merged AddressSpecs. It adds what is missing (stamped with
/// Fabric's protocol mark), removes addresses carrying that mark that no spec wants, and never touches any
/// other address. The kernel's answer to each request lands in an ApplyStatus.</summary>
public sealed class AddressSpecController(IActorRef store, IKernel kernel) : ControllerActor(store)
{
    private readonly InFlightRequests<(int, string)> inFlight = new(TimeSpan.FromSeconds(3));
    /// <summary>Deletions whose status has not gone yet: reconciles triggered meanwhile would delete them again,
    /// doubling the kernel's work and filling the socket with "not found" errors.</summary>
    private readonly InFlightRequests<(int, string)> removing = new(TimeSpan.FromSeconds(3));

    protected override string Name => nameof(AddressSpecController);
    protected override IReadOnlyList<ResourceKind> Inputs { get; } =
        [ResourceTypes.AddressSpec.Kind, ResourceTypes.AddressStatus.Kind, ResourceTypes.LinkStatus.Kind];
    protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.ApplyStatus.Kind];

    public static Props Props(IActorRef store, IKernel kernel) => Akka.Actor.Props.Create(() => new AddressSpecController(store, kernel));

    protected override async Task<IReadOnlyCollection<ControllerOutput>> ReconcileAsync(InputView inputs)
    {
        var links = inputs.Specs<LinkStatus>(ResourceTypes.LinkStatus).ToDictionary(l => l.Name);
        var present = inputs.Specs<AddressStatus>(ResourceTypes.AddressStatus).ToDictionary(a => (a.LinkIndex, a.Address));
        var wanted = new HashSet<(int, string)>();
        var work = new List<Task<ControllerOutput>>();
        var outputs = new List<ControllerOutput>();

        foreach (var spec in inputs.Specs<AddressSpec>(ResourceTypes.AddressSpec))
        {
            if (!links.TryGetValue(spec.LinkName, out var link))
            {
                outputs.Add(ApplyStatuses.Of(ResourceTypes.AddressSpec, spec.SpecId, ApplyStatuses.Pending, $"waiting for link {spec.LinkName} to appear"));
                continue;
            }
            var prefix = IpPrefix.Parse(spec.Address);
            var key = (link.Index, prefix.ToString());
            wanted.Add(key);
            // Pending() also clears a request whose status has arrived, so it must see every key.
            if (inFlight.Pending(key, present.ContainsKey(key)) || present.ContainsKey(key))
            {
                outputs.Add(ApplyStatuses.Of(ResourceTypes.AddressSpec, spec.SpecId, ApplyStatuses.Applied));
                continue;
            }
            var address = ToKernel(link.Index, prefix, spec.NoDad);
            inFlight.Requested(key);
            work.Add(ApplyStatuses.Attempt(ResourceTypes.AddressSpec, spec.SpecId, () => kernel.AddAddressAsync(address), () => inFlight.Failed(key)));
        }

        inFlight.Retain(wanted);
        if (inFlight.Any) RequeueAfter(inFlight.Grace);
        var unwanted = present.Keys.Where(k => present[k].Protocol == FabricMarks.Protocol && !wanted.Contains(k)).ToHashSet();
        removing.Retain(unwanted);
        var removals = new List<Task>();
        foreach (var key in unwanted)
        {
            if (removing.Pending(key, present: false)) continue;
            removing.Requested(key);
            removals.Add(RemoveAsync(ToKernel(key.Item1, IpPrefix.Parse(key.Item2))));
        }
        if (removing.Any) RequeueAfter(removing.Grace);
        await Task.WhenAll(removals.Concat(work)).ConfigureAwait(false);
        outputs.AddRange(work.Select(t => t.Result));
        return outputs;
    }

    /// <summary>Somebody may have removed it already; that is the outcome we wanted.</summary>
    private async Task RemoveAsync(KernelAddress address)
    {
        try { await kernel.DeleteAddressAsync(address).ConfigureAwait(false); }
        catch (KernelException e) when (e.Errno is 99 or 19 or 2) { }
    }

    private const uint Permanent = 0x80, NoDad = 0x02;

    private static KernelAddress ToKernel(int linkIndex, IpPrefix prefix, bool noDad = false) => new()
    {
        LinkIndex = linkIndex,
        Prefix = prefix,
        Protocol = FabricMarks.Protocol,
        Scope = IPAddress.IsLoopback(prefix.Address) ? (byte)254 : prefix.Address.IsIPv6LinkLocal ? (byte)253 : (byte)0,
        Flags = noDad ? Permanent | NoDad : Permanent,
    };
}
