using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>RTM_NEWROUTE / RTM_DELROUTE, attribute order as `ip route replace|del` emits it.</summary>
internal static class RouteCodec
{
    public static byte[] Replace(uint seq, KernelRoute route)
    {
        Span<byte> buffer = stackalloc byte[256];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.NewRoute, Nl.FRequest | Nl.FAck | Nl.FReplace | Nl.FCreate, seq);
        WriteRtMsg(ref w, route, route.Scope, route.Type);
        WriteIdentity(ref w, route, withSource: true);
        if (route.Mtu != 0)
        {
            var metrics = w.BeginNested(Rta.Metrics);
            w.U32(Rta.MetricMtu, route.Mtu);
            w.EndNested(metrics);
        }
        w.EndMessage();
        return w.ToArray();
    }

    /// <summary>Like `ip route del`: scope NOWHERE and type 0 are wildcards, so the kernel matches on table,
    /// destination, metric, protocol (when set) and next hop only.</summary>
    public static byte[] Delete(uint seq, KernelRoute route)
    {
        Span<byte> buffer = stackalloc byte[256];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.DelRoute, Nl.FRequest | Nl.FAck, seq);
        WriteRtMsg(ref w, route, Rta.ScopeNowhere, 0);
        WriteIdentity(ref w, route, withSource: false);
        w.EndMessage();
        return w.ToArray();
    }

    public static byte[] Dump(uint seq)
    {
        Span<byte> buffer = stackalloc byte[32];
        var w = new NetlinkWriter(buffer);
        w.BeginMessage(Rtm.GetRoute, Nl.FRequest | Nl.FDump, seq);
        w.Reserve(Rtm.RtMsgSize);
        w.EndMessage();
        return w.ToArray();
    }

    private static void WriteRtMsg(ref NetlinkWriter w, KernelRoute r, byte scope, byte type)
    {
        var destination = r.Destination.Address;
        if (destination.AddressFamily != r.Family)
            throw new ArgumentException($"route {r.Destination}: destination is not {r.Family}");
        var h = w.Reserve(Rtm.RtMsgSize);
        h[0] = AddressCodec.Family(destination);
        h[1] = (byte)r.Destination.PrefixLength;
        // Tables above 255 do not fit rtm_table: it says UNSPEC and RTA_TABLE carries the id.
        h[4] = r.Table < 256 ? (byte)r.Table : Rta.TableUnspec;
        h[5] = r.Protocol;
        h[6] = scope;
        h[7] = type;
    }

    private static void WriteIdentity(ref NetlinkWriter w, KernelRoute r, bool withSource)
    {
        // A default route goes without RTA_DST, as `ip route ... default` sends it.
        if (r.Destination.PrefixLength > 0) w.Address(Rta.Dst, r.Destination.NetworkAddress);
        if (r.Gateway is { } gateway) w.Address(Rta.Gateway, gateway);
        if (withSource && r.Source is { } source) w.Address(Rta.PrefSrc, source);
        if (r.Table >= 256) w.U32(Rta.Table, r.Table);
        if (r.Metric != 0) w.U32(Rta.Priority, r.Metric);
        if (r.OutLinkIndex != 0) w.U32(Rta.Oif, (uint)r.OutLinkIndex);
    }

    /// <summary>Null for families Fabric does not model (multicast routing, MPLS...).</summary>
    public static KernelRoute? Decode(ReadOnlySpan<byte> payload)
    {
        var h = payload.FixedHeader(Rtm.RtMsgSize, "rtmsg");
        var family = h[0] switch { 2 => AddressFamily.InterNetwork, 10 => AddressFamily.InterNetworkV6, _ => AddressFamily.Unknown };
        if (family == AddressFamily.Unknown) return null;
        var max = family == AddressFamily.InterNetworkV6 ? 128 : 32;
        if (h[1] > max) throw new NetlinkFormatException($"rtmsg destination length {h[1]} exceeds {max}");
        IPAddress? dst = null, gateway = null, source = null;
        uint table = h[4], metric = 0, mtu = 0;
        var oif = 0;
        var attrs = payload.AttributesAfter(Rtm.RtMsgSize);
        while (attrs.TryRead(out var a))
        {
            switch (a.Type)
            {
                case Rta.Dst: dst = a.Address("RTA_DST"); break;
                case Rta.Gateway: gateway = a.Address("RTA_GATEWAY"); break;
                case Rta.PrefSrc: source = a.Address("RTA_PREFSRC"); break;
                case Rta.Oif: oif = (int)a.U32("RTA_OIF"); break;
                case Rta.Priority: metric = a.U32("RTA_PRIORITY"); break;
                case Rta.Table: table = a.U32("RTA_TABLE"); break;
                case Rta.Metrics:
                    var metrics = a.Nested();
                    while (metrics.TryRead(out var m))
                        if (m.Type == Rta.MetricMtu) mtu = m.U32("RTAX_MTU");
                    break;
            }
        }
        if (dst is not null && dst.AddressFamily != family)
            throw new NetlinkFormatException($"RTA_DST {dst} does not match rtm_family {h[0]}");
        dst ??= family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        return new KernelRoute
        {
            Family = family,
            Destination = new IpPrefix(dst, h[1]),
            Gateway = gateway,
            Source = source,
            OutLinkIndex = oif,
            Table = table,
            Metric = metric,
            Protocol = h[5],
            Scope = h[6],
            Type = h[7],
            Mtu = mtu,
        };
    }
}
