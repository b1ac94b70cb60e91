namespace Fabric.Actors.Netlink;

/// <summary>The kernel (or a capture) handed us bytes that do not parse as netlink. Raised instead of an index
/// exception so the caller learns which structure was short and by how much.</summary>
public sealed class NetlinkFormatException(string message) : FormatException(message);
