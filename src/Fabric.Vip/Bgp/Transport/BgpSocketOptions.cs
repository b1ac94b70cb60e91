using System.Net;
using System.Net.Sockets;
using Fabric.Actors.Config;

namespace Fabric.Vip.Bgp.Transport;

/// <summary>TTL, GTSM and MD5 per peer: applied before connect (outbound) and on accepted sockets (inbound).</summary>
public static class BgpSocketOptions
{
    private const int IpMinTtl = 21;           // IP_MINTTL
    private const int Ipv6MinHopCount = 73;    // IPV6_MINHOPCOUNT

    public static void Apply(Socket socket, BgpPeerSettings peer, bool ebgp)
    {
        socket.NoDelay = true;
        var v6 = socket.AddressFamily == AddressFamily.InterNetworkV6;
        if (peer.Gtsm)
        {
            // RFC 5082: send with 255 and accept only 255, so packets from beyond the link cannot reach the session.
            SetTtl(socket, 255);
            Span<byte> min = stackalloc byte[4];
            BitConverter.TryWriteBytes(min, 255);
            if (v6) socket.SetRawSocketOption((int)SocketOptionLevel.IPv6, Ipv6MinHopCount, min);
            else socket.SetRawSocketOption((int)SocketOptionLevel.IP, IpMinTtl, min);
        }
        else if (ebgp)
        {
            SetTtl(socket, peer.EbgpMultiHop ? (short)255 : (short)1);
        }
        if (peer.Password.Length > 0) TcpMd5.Set(socket, peer.Address, peer.Password);
    }

    private static void SetTtl(Socket socket, short ttl)
    {
        if (socket.AddressFamily == AddressFamily.InterNetworkV6)
            socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.HopLimit, ttl);
        else
            socket.Ttl = ttl;
    }

    public static IPEndPoint Unmap(EndPoint? endPoint)
    {
        var ip = (IPEndPoint)endPoint!;
        return ip.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(ip.Address.MapToIPv4(), ip.Port) : ip;
    }
}
