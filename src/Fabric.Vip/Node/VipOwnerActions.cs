using Akka.Actor;
using Fabric.Actors;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.Election;

namespace Fabric.Vip.Node;

/// <summary>What the owner of a VIP does on this node: the VIP becomes an AddressSpec at layer operator on its
/// link (the address controller puts it into the kernel; a leftover from a killed run carries Fabric's mark and
/// is removed at start), then the announcer tells the network. Release does the reverse. Load balancer service IPs
/// use it too, writing as their own owner so that a VIP and a service IP never overwrite each other's spec.</summary>
public sealed class VipOwnerActions(IActorRef store, IVipAnnouncer announcer, string owner = VipOwnerActions.Owner) : IVipOwnerActions
{
    public const string Owner = "VipOwner";

    public async Task AcquireAsync(VipAnnouncement vip)
    {
        store.Tell(Write.One(owner, new Put(Key(vip), Spec(vip), Layers.Operator)), ActorRefs.NoSender);
        await announcer.AnnounceAsync(vip, CancellationToken.None).ConfigureAwait(false);
    }

    public Task RefreshAsync(VipAnnouncement vip) => announcer.RefreshAsync(vip, CancellationToken.None);

    public async Task ReleaseAsync(VipAnnouncement vip)
    {
        try { await announcer.WithdrawAsync(vip, CancellationToken.None).ConfigureAwait(false); }
        finally { store.Tell(new Write(owner, [], [Key(vip)]), ActorRefs.NoSender); }
    }

    private static AddressSpec Spec(VipAnnouncement vip) =>
        new() { Address = IpPrefix.Host(vip.Ip).ToString(), LinkName = vip.Link, NoDad = true };

    private static ResourceKey Key(VipAnnouncement vip) =>
        new(Namespaces.NetworkConfig, ResourceTypes.AddressSpec.Name, Layers.LayeredId(Layers.Operator, Spec(vip).SpecId));
}
