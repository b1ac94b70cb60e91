namespace Fabric.Vip.Election;

/// <summary>What the owner of a VIP does. The node agent implements it by writing the VIP as an AddressSpec at
/// layer operator on the link and calling the announcer; release removes both. Called one at a time per VIP.</summary>
public interface IVipOwnerActions
{
    /// <summary>Put the VIP on the link and announce it (burst). Throw to report a failure in <see cref="VipStatus"/>.</summary>
    Task AcquireAsync(VipAnnouncement vip);

    /// <summary>Announce again while still owning (every <see cref="VipElectorSettings.AnnounceRefresh"/>).</summary>
    Task RefreshAsync(VipAnnouncement vip);

    /// <summary>Remove the VIP from the link; stop announcing.</summary>
    Task ReleaseAsync(VipAnnouncement vip);
}
