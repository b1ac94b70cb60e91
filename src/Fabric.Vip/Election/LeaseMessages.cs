using Fabric.Vip.Serialization;

namespace Fabric.Vip.Election;

// The lease protocol's wire messages. They cross Akka remoting through the Hyperion allowlist, so they are
// small sealed records of primitives; node identities are node names, unique per cluster.

/// <summary>A candidate asks a grantor for (or the owner renews) the lease of one VIP at an epoch.</summary>
/// <param name="Seq">Identifies the request round; the candidate remembers when it sent each round.</param>
/// <param name="KnownHighest">The highest epoch the candidate has seen granted; lets a restarted grantor relearn it.</param>
/// <param name="Owning">The sender currently holds the lease: grantors prefer it, so an incumbent is never displaced.</param>
/// <param name="Nonce">Random per candidate incarnation, echoed in answers: a restarted node reuses its address and
/// its sequence numbers, and must not count grants answering requests its previous incarnation sent.</param>
public sealed record LeaseRequest(string VipId, string Candidate, int Priority, long Epoch, long Seq, long KnownHighest, bool Owning, long Nonce) : IFabricWireMessage;

/// <summary>A grantor grants (or renews) the lease at Epoch for the request round Seq.</summary>
public sealed record LeaseGranted(string VipId, string Grantor, string Candidate, long Epoch, long Seq, long Nonce) : IFabricWireMessage;

/// <summary>A grantor refuses; Holder (null when none or unknown) and HighestGranted let the candidate pick a
/// higher epoch and yield to an owning or better-ranked rival.</summary>
public sealed record LeaseRejected(string VipId, string Grantor, string Candidate, long Epoch, long Seq, long Nonce,
    string? Holder, int HolderPriority, bool HolderOwning, long HighestGranted) : IFabricWireMessage;

/// <summary>The holder gives the lease back (graceful stop, or a candidate yielding partial grants).
/// Sent only after the sender has stopped believing in the lease; frees the sender's grants up to Epoch.</summary>
public sealed record LeaseRelease(string VipId, string Candidate, long Epoch, long Nonce) : IFabricWireMessage;

/// <summary>A message the pure lease logic wants delivered to the elector of node <paramref name="To"/>.</summary>
public readonly record struct Outgoing(string To, object Message);

/// <summary>A restarted grantor asks its peers for the highest epoch they have granted before it grants again.</summary>
public sealed record EpochQuery(string VipId, string From) : IFabricWireMessage;

/// <summary>Answer to <see cref="EpochQuery"/>; Recovered is false while the reporter is itself relearning.</summary>
public sealed record EpochReport(string VipId, string From, long HighestGranted, bool Recovered) : IFabricWireMessage;
