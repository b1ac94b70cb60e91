namespace Fabric.Vip.Bgp.Codec;

public enum BgpMessageType : byte { Open = 1, Update = 2, Notification = 3, Keepalive = 4, RouteRefresh = 5 }

/// <summary>NOTIFICATION error codes (RFC 4271 §4.5, RFC 7313).</summary>
public static class BgpErrorCode
{
    public const byte MessageHeader = 1, Open = 2, Update = 3, HoldTimerExpired = 4, Fsm = 5, Cease = 6, RouteRefresh = 7;
}

public static class BgpHeaderSubcode
{
    public const byte ConnectionNotSynchronized = 1, BadMessageLength = 2, BadMessageType = 3;
}

public static class BgpOpenSubcode
{
    public const byte UnsupportedVersion = 1, BadPeerAs = 2, BadBgpIdentifier = 3, UnsupportedOptionalParameter = 4,
        UnacceptableHoldTime = 6, UnsupportedCapability = 7;
}

public static class BgpUpdateSubcode
{
    public const byte MalformedAttributeList = 1, UnrecognizedWellKnownAttribute = 2, MissingWellKnownAttribute = 3,
        AttributeFlagsError = 4, AttributeLengthError = 5, InvalidOrigin = 6, InvalidNextHop = 8,
        OptionalAttributeError = 9, InvalidNetworkField = 10, MalformedAsPath = 11;
}

/// <summary>RFC 6608 subcodes tell the peer in which state the unexpected message arrived.</summary>
public static class BgpFsmSubcode
{
    public const byte Unspecified = 0, UnexpectedInOpenSent = 1, UnexpectedInOpenConfirm = 2, UnexpectedInEstablished = 3;
}

/// <summary>RFC 4486.</summary>
public static class BgpCeaseSubcode
{
    public const byte MaxPrefixes = 1, AdministrativeShutdown = 2, PeerDeconfigured = 3, AdministrativeReset = 4,
        ConnectionRejected = 5, OtherConfigurationChange = 6, ConnectionCollisionResolution = 7, OutOfResources = 8;
}

public static class BgpAttributeType
{
    public const byte Origin = 1, AsPath = 2, NextHop = 3, Med = 4, LocalPref = 5, AtomicAggregate = 6, Aggregator = 7,
        Communities = 8, MpReachNlri = 14, MpUnreachNlri = 15, As4Path = 17, As4Aggregator = 18, LargeCommunities = 32;
}

public static class BgpAttributeFlags
{
    public const byte Optional = 0x80, Transitive = 0x40, Partial = 0x20, ExtendedLength = 0x10;
}

public static class BgpCapabilityCode
{
    public const byte Multiprotocol = 1, RouteRefresh = 2, GracefulRestart = 64, FourOctetAs = 65, EnhancedRouteRefresh = 70;
}

public static class BgpAfi
{
    public const ushort IPv4 = 1, IPv6 = 2;
    public const byte UnicastSafi = 1;
}

public static class BgpConstants
{
    public const int HeaderLength = 19;
    public const int MaxMessageLength = 4096;
    public const ushort AsTrans = 23456;
    public const byte Version = 4;
}
