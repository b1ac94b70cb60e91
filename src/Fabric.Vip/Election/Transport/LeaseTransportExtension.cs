using System.Net;
using Akka.Actor;

namespace Fabric.Vip.Election.Transport;

/// <summary>One lease transport per actor system, started by the first elector that needs it and bound to the UDP
/// port of the same number as the system's remoting port. A system without remoting (a cluster of one on the
/// local provider, tests) has none: its electors only ever talk to themselves.</summary>
public sealed class LeaseTransportExtension : IExtension
{
    public IActorRef? Transport { get; }

    public LeaseTransportExtension(ExtendedActorSystem system)
    {
        var address = system.Provider.DefaultAddress;
        if (address.Port is not { } port || port == 0 || address.Host is null) return;
        var bind = IPAddress.TryParse(address.Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, port)
            : new IPEndPoint(IPAddress.Any, port);
        Transport = system.SystemActorOf(LeaseUdpTransport.Props(bind), "lease-transport");
    }

    public static LeaseTransportExtension Get(ActorSystem system) => system.WithExtension<LeaseTransportExtension, LeaseTransportExtensionProvider>();
}

public sealed class LeaseTransportExtensionProvider : ExtensionIdProvider<LeaseTransportExtension>
{
    public override LeaseTransportExtension CreateExtension(ExtendedActorSystem system) => new(system);
}
