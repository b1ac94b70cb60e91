using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>Multicast rtnetlink notifications into <see cref="KernelEvent"/>s.</summary>
internal static class KernelEventDecoder
{
    /// <summary>Null for messages Fabric does not model (other families, other message types).</summary>
    public static KernelEvent? Decode(in NetlinkMessage message) => message.Type switch
    {
        Rtm.NewLink => new LinkUpdated(LinkDecoder.Decode(message.Payload)),
        Rtm.DelLink => new LinkDeleted(LinkDecoder.Decode(message.Payload)),
        Rtm.NewAddr => AddressCodec.Decode(message.Payload) is { } a ? new AddressAdded(a) : null,
        Rtm.DelAddr => AddressCodec.Decode(message.Payload) is { } a ? new AddressDeleted(a) : null,
        Rtm.NewRoute => RouteCodec.Decode(message.Payload) is { } r ? new RouteAdded(r) : null,
        Rtm.DelRoute => RouteCodec.Decode(message.Payload) is { } r ? new RouteDeleted(r) : null,
        _ => null,
    };
}
