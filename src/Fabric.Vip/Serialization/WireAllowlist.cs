using Fabric.Vip.Election;

namespace Fabric.Vip.Serialization;

/// <summary>The only types Fabric ever instantiates from the wire. To add a message, add one line here.</summary>
public static class WireAllowlist
{
    public static readonly IReadOnlyList<Type> Types =
    [
        typeof(LeaseRequest),
        typeof(LeaseGranted),
        typeof(LeaseRejected),
        typeof(LeaseRelease),
        typeof(EpochQuery),
        typeof(EpochReport),
    ];
}
