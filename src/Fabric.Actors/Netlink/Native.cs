using System.Runtime.InteropServices;

namespace Fabric.Actors.Netlink;

/// <summary>The libc calls .NET has no managed surface for: netlink sockets, namespaces, hostnames.</summary>
internal static unsafe partial class Native
{
    public const int AfNetlink = 16;
    public const int SockRaw = 3, SockCloexec = 0x80000;
    public const int NetlinkRoute = 0, NetlinkNetfilter = 12, NetlinkGeneric = 16;
    public const int SolSocket = 1, SoRcvBuf = 8, SoRcvBufForce = 33;
    public const int SolNetlink = 270, NetlinkCapAck = 10, NetlinkExtAck = 11;
    public const int CloneNewNet = 0x40000000, CloneNewUts = 0x04000000;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockAddrNl
    {
        public ushort Family;
        public ushort Pad;
        public uint Pid;
        public uint Groups;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int fd, SockAddrNl* address, int length);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int fd, int level, int name, int* value, int length);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    public static partial int SetNs(int fd, int nstype);

    [LibraryImport("libc", EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport("libc", EntryPoint = "sethostname", SetLastError = true)]
    public static partial int SetHostName(byte* name, nint length);

    [LibraryImport("libc", EntryPoint = "gethostname", SetLastError = true)]
    public static partial int GetHostName(byte* name, nint length);

    public static string StrError(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
