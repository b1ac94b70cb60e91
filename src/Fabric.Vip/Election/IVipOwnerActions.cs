namespace Fabric.Vip.Election;

/// <summary>What the owner of a VIP does. The node agent implements it by writing the VIP as an AddressSpec at
/// layer operator on the link and calling the announcer; release removes both. Called one at a time per VIP.</summary>
public interface IVipOwnerActions
{
    Task AcquireAsync(VipAnnouncement vip);
    Task ReleaseAsync(VipAnnouncement vip);
}
