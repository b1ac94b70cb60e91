using System.Net.Sockets;

namespace Fabric.Vip.Bgp.Transport;

/// <summary>
/// Creates the TCP sockets of sessions and listeners. Called off the actor thread, so an implementation may block
/// (tests create sockets on a thread that has entered a network namespace: sockets stay where they were created).
/// </summary>
public interface IBgpSocketFactory
{
    Socket Create(AddressFamily family);
}

public sealed class DefaultBgpSocketFactory : IBgpSocketFactory
{
    public static readonly DefaultBgpSocketFactory Instance = new();

    public Socket Create(AddressFamily family) => new(family, SocketType.Stream, ProtocolType.Tcp);
}
