using System.Net.Sockets;
using System.Runtime.InteropServices;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>Creates netlink sockets by hand (.NET cannot) and hands them to <see cref="Socket"/> for async I/O.
/// A socket belongs to the network namespace of the thread that created it, for its whole life.</summary>
internal static unsafe class NetlinkSocketFactory
{
    /// <summary>Large enough for a thousand pipelined ACKs or a burst of events; root may exceed rmem_max.</summary>
    public const int DefaultReceiveBuffer = 8 << 20;

    public static Socket Open(int protocol, uint groups = 0, int receiveBuffer = DefaultReceiveBuffer)
    {
        var fd = Native.Socket(Native.AfNetlink, Native.SockRaw | Native.SockCloexec, protocol);
        if (fd < 0) throw Failure("open netlink socket");
        try
        {
            // Extended ACKs carry the kernel's own explanation; capped ACKs keep error replies from echoing requests.
            SetOption(fd, Native.SolNetlink, Native.NetlinkExtAck, 1);
            SetOption(fd, Native.SolNetlink, Native.NetlinkCapAck, 1);
            if (!TrySetOption(fd, Native.SolSocket, Native.SoRcvBufForce, receiveBuffer))
                SetOption(fd, Native.SolSocket, Native.SoRcvBuf, receiveBuffer);
            var address = new Native.SockAddrNl { Family = Native.AfNetlink, Groups = groups };
            if (Native.Bind(fd, &address, sizeof(Native.SockAddrNl)) != 0) throw Failure("bind netlink socket");
            return new Socket(new SafeSocketHandle(fd, ownsHandle: true));
        }
        catch
        {
            Native.Close(fd);
            throw;
        }
    }

    private static void SetOption(int fd, int level, int name, int value)
    {
        if (!TrySetOption(fd, level, name, value)) throw Failure($"set netlink socket option {level}/{name}");
    }

    private static bool TrySetOption(int fd, int level, int name, int value) =>
        Native.SetSockOpt(fd, level, name, &value, sizeof(int)) == 0;

    private static KernelException Failure(string operation)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new KernelException(errno, operation, Native.StrError(errno));
    }
}
