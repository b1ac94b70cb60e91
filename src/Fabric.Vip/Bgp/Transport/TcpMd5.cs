using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Fabric.Vip.Bgp.Transport;

/// <summary>RFC 2385 TCP MD5 signatures: Linux setsockopt(IPPROTO_TCP, TCP_MD5SIG, struct tcp_md5sig).</summary>
public static class TcpMd5
{
    private const int TcpMd5Sig = 14;
    private const int MaxKeyLength = 80;
    // struct tcp_md5sig: sockaddr_storage(128) flags(1) prefixlen(1) keylen(2) ifindex(4) key(80)
    private const int StructSize = 128 + 1 + 1 + 2 + 4 + MaxKeyLength;

    /// <summary>Sets (or with an empty password removes) the key for one peer address on a socket, listening or not.</summary>
    public static void Set(Socket socket, IPAddress peer, string password)
    {
        var key = Encoding.UTF8.GetBytes(password);
        if (key.Length > MaxKeyLength) throw new ArgumentException($"TCP MD5 password longer than {MaxKeyLength} bytes");
        Span<byte> value = stackalloc byte[StructSize];
        value.Clear();
        // A v4 peer on an IPv6 socket is keyed by its mapped address.
        var address = socket.AddressFamily == AddressFamily.InterNetworkV6 && peer.AddressFamily == AddressFamily.InterNetwork
            ? peer.MapToIPv6() : peer;
        var addressBytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            BitConverter.TryWriteBytes(value, (ushort)2);   // AF_INET, host order
            addressBytes.CopyTo(value[4..]);                // sin_addr after sin_port
        }
        else
        {
            BitConverter.TryWriteBytes(value, (ushort)10);  // AF_INET6
            addressBytes.CopyTo(value[8..]);                // sin6_addr after port and flowinfo
        }
        BitConverter.TryWriteBytes(value[130..], (ushort)key.Length);
        key.CopyTo(value[136..]);
        socket.SetRawSocketOption((int)SocketOptionLevel.Tcp, TcpMd5Sig, value);
    }
}
