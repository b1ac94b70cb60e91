namespace Fabric.Vip.Election;

/// <summary>Lease timings shared by every voter of a VIP (they must agree, as they come from one config).</summary>
/// <param name="Duration">How long a grantor keeps a grant exclusive after receiving the request.</param>
/// <param name="RenewInterval">How often the owner renews and a waiting candidate re-asks.</param>
/// <param name="DriftMargin">Largest relative clock-rate difference between two nodes, as a fraction. The
/// owner believes its lease for only Duration × (1 − DriftMargin) so a grantor whose clock runs faster than the
/// owner's still holds the grant longer than the owner believes in it.</param>
/// <param name="ActionGuard">The owner gives up this much earlier still, to cover timer lateness and the time it
/// takes to withdraw the address; it is not a drift allowance.</param>
public sealed record LeaseTimings(TimeSpan Duration, TimeSpan RenewInterval, double DriftMargin, TimeSpan ActionGuard)
{
    /// <summary>Kill -9 of the owner: grants expire Duration after the last renewal, i.e. 400–500 ms after the
    /// crash (median ~450 ms), then the best waiting candidate is granted in one round trip.</summary>
    public static readonly LeaseTimings Default = new(
        TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(100), 0.05, TimeSpan.FromMilliseconds(20));

    /// <summary>How long after a candidate's latest request a grantor still treats it as alive and waiting.
    /// Candidates re-ask every RenewInterval, so two intervals tolerate one lost request.</summary>
    public TimeSpan CandidateFreshness => RenewInterval * 2 + RenewInterval / 2;

    /// <summary>How long the owner counts a grant, from the instant it sent the request.</summary>
    public TimeSpan OwnerValidity => Duration * (1 - DriftMargin) - ActionGuard;

    public void Validate()
    {
        if (Duration <= TimeSpan.Zero) throw new ArgumentException("lease duration must be positive");
        if (DriftMargin is < 0 or >= 0.5) throw new ArgumentException("drift margin must be in [0, 0.5)");
        if (RenewInterval <= TimeSpan.Zero || RenewInterval * 2 >= OwnerValidity)
            throw new ArgumentException("renew interval must be positive and below half the owner's validity, so one lost renewal does not lose the lease");
        if (ActionGuard < TimeSpan.Zero) throw new ArgumentException("action guard cannot be negative");
    }
}
