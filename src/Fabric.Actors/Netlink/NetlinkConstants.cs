namespace Fabric.Actors.Netlink;

/// <summary>Numbers from linux/netlink.h, linux/rtnetlink.h, linux/if_link.h, linux/if_addr.h,
/// linux/netfilter/nfnetlink.h and linux/netfilter/nf_tables.h.
/// Kept in one place so the codecs read like the kernel headers they mirror.</summary>
internal static class Nl
{
    public const int HeaderSize = 16;
    public const int AttrHeaderSize = 4;

    public const ushort Noop = 1, Error = 2, Done = 3, Overrun = 4;

    public const ushort FRequest = 0x01, FMulti = 0x02, FAck = 0x04, FDump = 0x300;
    public const ushort FReplace = 0x100, FExcl = 0x200, FCreate = 0x400;
    /// <summary>On NLMSG_ERROR: the original payload was left out (NETLINK_CAP_ACK) / extended-ack TLVs follow.</summary>
    public const ushort FCapped = 0x100, FAckTlvs = 0x200;
    public const ushort AttrNested = 0x8000, AttrTypeMask = 0x3fff;

    public const int Align = 4;
    public static int Aligned(int length) => (length + Align - 1) & ~(Align - 1);
}

internal static class Rtm
{
    public const ushort NewLink = 16, DelLink = 17, GetLink = 18;
    public const ushort NewAddr = 20, DelAddr = 21, GetAddr = 22;
    public const ushort NewRoute = 24, DelRoute = 25, GetRoute = 26;

    public const int IfInfoSize = 16, IfAddrSize = 8, RtMsgSize = 12;
}

internal static class Ifla
{
    public const ushort Address = 1, Broadcast = 2, IfName = 3, Mtu = 4, Link = 5, Master = 10,
        OperState = 16, LinkInfo = 18, IfAlias = 20, ExtMask = 29, PermAddress = 54;
    public const ushort InfoKind = 1, InfoData = 2;
    public const ushort BrStpState = 5, BrVlanFiltering = 7;
    public const ushort VlanId = 1, VlanProtocol = 5;
    public const ushort BondMode = 1, BondMiiMon = 3, BondUpDelay = 4, BondDownDelay = 5, BondArpIpTarget = 8,
        BondPrimary = 11, BondXmitHashPolicy = 14, BondMinLinks = 18, BondLacpRate = 21,
        BondAdActorSysPrio = 24, BondAdActorSystem = 26;
    public const uint IffUp = 0x1;
}

internal static class Ifa
{
    public const ushort Address = 1, Local = 2, Label = 3, Broadcast = 4, CacheInfo = 6, Flags = 8, Proto = 11;
}

internal static class Rta
{
    public const ushort Dst = 1, Oif = 4, Gateway = 5, Priority = 6, PrefSrc = 7, Metrics = 8, Table = 15;
    public const ushort MetricMtu = 2;
    public const byte TableUnspec = 0, ScopeNowhere = 255;
}

internal static class RtnlGroups
{
    public const uint Link = 0x1, IPv4Addr = 0x10, IPv4Route = 0x40, IPv6Addr = 0x100, IPv6Route = 0x400;
    public const uint All = Link | IPv4Addr | IPv4Route | IPv6Addr | IPv6Route;
}

internal static class Nfnl
{
    /// <summary>struct nfgenmsg: family, version, res_id (big-endian).</summary>
    public const int GenMsgSize = 4;
    public const ushort BatchBegin = 0x10, BatchEnd = 0x11;
    public const byte SubsysNftables = 10, Version0 = 0;
}

internal static class Nft
{
    public const ushort NewSetElem = 12, DelSetElem = 14;
    public const ushort SetElemListTable = 1, SetElemListSet = 2, SetElemListElements = 3;
    public const ushort ListElem = 1;
    public const ushort SetElemKey = 1, SetElemTimeout = 4, SetElemExpiration = 5;
    public const ushort DataValue = 1;

    /// <summary>The nfnetlink message type of an nf_tables command: subsystem in the high byte.</summary>
    public static ushort Type(ushort command) => (ushort)(Nfnl.SubsysNftables << 8 | command);
}
