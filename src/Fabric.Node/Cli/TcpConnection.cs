using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Fabric.Node.Cli;

/// <summary>One TCP connection made with libc calls, for <see cref="PlainHttp"/>. System.Net.Sockets cost `fabric
/// apply` 10 ms before its first byte went out (its telemetry, the asynchronous engine it starts even for blocking
/// calls, address parsing and errno tables compiled on the spot), about what all the rest of the command costs.
/// The socket is non-blocking and every wait is a poll(2) bounded by the deadline, so nothing can hang past it;
/// <see cref="Abort"/> (Ctrl+C, from another thread) shuts the socket down, which ends any wait at once.</summary>
internal sealed unsafe partial class TcpConnection : IDisposable
{
    private const int AfInet = 2, AfInet6 = 10;
    private const int SockStream = 1, SockNonBlock = 0x800, SockCloexec = 0x80000;
    private const int IpProtoTcp = 6, TcpNoDelay = 1, SolSocket = 1, SoError = 4;
    private const int MsgNoSignal = 0x4000, ShutRdWr = 2;
    private const short PollIn = 0x1, PollOut = 0x4;
    private const int Eintr = 4, Eagain = 11, Einprogress = 115;

    private readonly int _fd;
    private readonly long _deadline;
    private int _aborted;

    private TcpConnection(int fd, long deadline)
    {
        _fd = fd;
        _deadline = deadline;
    }

    public bool Aborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>Connects to host:port, trying each address of a name in turn; an address literal needs no lookup.</summary>
    public static TcpConnection Open(string host, int port, TimeSpan timeout)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        var addresses = RawAddress.TryParse(host, port, out var literal)
            ? [literal]
            : Dns.GetHostAddresses(host).Select(a => RawAddress.Of(a, port)).ToArray();
        if (addresses.Length == 0) throw new TcpException(TcpException.HostNotFound, "host not found");
        TcpException? last = null;
        foreach (var address in addresses)
        {
            try
            {
                return Connect(address, deadline);
            }
            catch (TcpException e) when (e.Errno is not (TcpException.DeadlinePassed or TcpException.Aborted))
            {
                // Refused or unreachable on this address: a name may have others (::1 and 127.0.0.1 for localhost).
                last = e;
            }
        }
        throw last!;
    }

    private static TcpConnection Connect(RawAddress address, long deadline)
    {
        var fd = Socket(address.Family, SockStream | SockNonBlock | SockCloexec, 0);
        if (fd < 0) throw TcpException.FromErrno("socket");
        var connection = new TcpConnection(fd, deadline);
        try
        {
            var one = 1;
            SetSockOpt(fd, IpProtoTcp, TcpNoDelay, &one, sizeof(int));
            fixed (byte* raw = address.Bytes)
                if (ConnectNative(fd, raw, address.Bytes.Length) != 0)
                {
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != Einprogress && errno != Eintr) throw TcpException.Of(errno);
                    connection.Wait(PollOut);
                    int error = 0, length = sizeof(int);
                    if (GetSockOpt(fd, SolSocket, SoError, &error, &length) != 0) throw TcpException.FromErrno("getsockopt");
                    if (error != 0) throw TcpException.Of(error);
                }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void SendAll(ReadOnlySpan<byte> data)
    {
        fixed (byte* start = data)
        {
            var done = 0;
            while (done < data.Length)
            {
                var sent = SendNative(_fd, start + done, data.Length - done, MsgNoSignal);
                if (sent >= 0) { done += (int)sent; continue; }
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eagain) Wait(PollOut);
                else if (errno != Eintr) throw TcpException.Of(errno);
            }
        }
    }

    /// <summary>Bytes read into <paramref name="buffer"/>; 0 once the other side has closed.</summary>
    public int Receive(Span<byte> buffer)
    {
        fixed (byte* start = buffer)
            while (true)
            {
                var received = ReceiveNative(_fd, start, buffer.Length, 0);
                if (received >= 0) return (int)received;
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Eagain) Wait(PollIn);
                else if (errno != Eintr) throw TcpException.Of(errno);
            }
    }

    /// <summary>Ends every wait on this connection now; safe from any thread until Dispose.</summary>
    public void Abort()
    {
        Volatile.Write(ref _aborted, 1);
        ShutdownNative(_fd, ShutRdWr);
    }

    private void Wait(short events)
    {
        var poll = new PollFd { Fd = _fd, Events = events };
        while (true)
        {
            if (Aborted) throw new TcpException(TcpException.Aborted, "the connection was closed");
            var left = _deadline - Environment.TickCount64;
            if (left <= 0) throw new TcpException(TcpException.DeadlinePassed, "no answer in time");
            var ready = PollNative(&poll, 1, (int)Math.Min(left, int.MaxValue));
            if (ready > 0) return; // ready, or an error/hang-up the next call will report
            if (ready < 0 && Marshal.GetLastPInvokeError() != Eintr) throw TcpException.FromErrno("poll");
        }
    }

    public void Dispose() => CloseNative(_fd);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    private static partial int ConnectNative(int fd, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    private static partial nint SendNative(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    private static partial nint ReceiveNative(int fd, byte* buffer, nint length, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int PollNative(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    private static partial int SetSockOpt(int fd, int level, int name, void* value, int length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    private static partial int GetSockOpt(int fd, int level, int name, void* value, int* length);

    [LibraryImport("libc", EntryPoint = "shutdown")]
    private static partial int ShutdownNative(int fd, int how);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int CloseNative(int fd);

    [LibraryImport("libc", EntryPoint = "inet_pton", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int InetPton(int family, string text, byte* destination);

    /// <summary>A sockaddr_in or sockaddr_in6, laid out as the kernel reads it.</summary>
    private sealed record RawAddress(int Family, byte[] Bytes)
    {
        /// <summary>Only what inet_pton takes: dotted-quad IPv4 or IPv6 text, so "10.1" is a name, as it is for
        /// the agent's own config parsing, not the address 10.0.0.1.</summary>
        public static bool TryParse(string host, int port, out RawAddress address)
        {
            var raw = stackalloc byte[16];
            if (InetPton(AfInet, host, raw) == 1)
            {
                address = Of(AfInet, new ReadOnlySpan<byte>(raw, 4), port);
                return true;
            }
            if (InetPton(AfInet6, host, raw) == 1)
            {
                address = Of(AfInet6, new ReadOnlySpan<byte>(raw, 16), port);
                return true;
            }
            address = null!;
            return false;
        }

        public static RawAddress Of(IPAddress ip, int port) =>
            Of(ip.AddressFamily == AddressFamily.InterNetworkV6 ? AfInet6 : AfInet, ip.GetAddressBytes(), port);

        private static RawAddress Of(int family, ReadOnlySpan<byte> ip, int port)
        {
            // sockaddr_in: family, port (network order), 4 address bytes, 8 zero bytes. sockaddr_in6: family, port,
            // flow info, 16 address bytes, scope id.
            var bytes = new byte[family == AfInet ? 16 : 28];
            bytes[0] = (byte)family;
            bytes[2] = (byte)(port >> 8);
            bytes[3] = (byte)port;
            ip.CopyTo(bytes.AsSpan(family == AfInet ? 4 : 8));
            return new RawAddress(family, bytes);
        }
    }
}

/// <summary>A failed connect, send or receive, with the errno behind it and the few words the CLI prints.</summary>
internal sealed class TcpException(int errno, string reason) : Exception(reason)
{
    public const int HostNotFound = -1, Aborted = -2, DeadlinePassed = -3;

    public int Errno { get; } = errno;

    public static TcpException FromErrno(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new TcpException(errno, $"{call}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    public static TcpException Of(int errno) => new(errno, errno switch
    {
        111 => "connection refused",
        110 => "timed out",
        113 or 101 => "no route to host",
        104 => "connection reset",
        32 => "the connection was closed",
        _ => Marshal.GetPInvokeErrorMessage(errno),
    });
}
