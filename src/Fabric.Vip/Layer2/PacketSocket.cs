using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using System.Text;

namespace Fabric.Vip.Layer2;

/// <summary>A raw AF_PACKET socket bound to one link's ifindex, sending whole Ethernet frames. When a network
/// namespace path is given, the socket is created on a short-lived thread that entered that namespace: a socket
/// stays in the namespace it was created in, whichever thread uses it later.</summary>
public sealed partial class PacketSocket : IDisposable
{
    private const int AfPacket = 17;
    private const int SockRaw = 3;
    private const ushort EthPAll = 0x0003;
    private const int CloneNewNet = 0x40000000;
    private const ulong SiocGifIndex = 0x8933;
    private const ulong SiocGifHwAddr = 0x8927;

    private readonly int _fd;
    public int IfIndex { get; }
    public PhysicalAddress Mac { get; }
    public string Link { get; }

    private PacketSocket(int fd, string link, int ifIndex, PhysicalAddress mac)
    {
        _fd = fd;
        Link = link;
        IfIndex = ifIndex;
        Mac = mac;
    }

    /// <summary>Opens the socket; with a namespace path, on a dedicated thread that entered the namespace (setns
    /// changes only the calling thread, which then ends, so no pool thread is left in the wrong namespace).</summary>
    public static Task<PacketSocket> OpenAsync(string link, string? netnsPath = null)
    {
        if (netnsPath is null)
        {
            try { return Task.FromResult(OpenHere(link)); }
            catch (Exception e) { return Task.FromException<PacketSocket>(e); }
        }
        var done = new TaskCompletionSource<PacketSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var t = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle(netnsPath);
                if (setns((int)ns.DangerousGetHandle(), CloneNewNet) != 0) throw Errno($"setns {netnsPath}");
                done.SetResult(OpenHere(link));
            }
            catch (Exception e) { done.SetException(new IOException($"cannot open a packet socket on {link} in {netnsPath}: {e.Message}", e)); }
        }) { IsBackground = true, Name = "fabric-netns-socket" };
        t.Start();
        return done.Task;
    }

    private static PacketSocket OpenHere(string link)
    {
        var fd = socket(AfPacket, SockRaw, Htons(EthPAll));
        if (fd < 0) throw Errno("socket(AF_PACKET)");
        try
        {
            var req = new byte[40];
            var name = Encoding.ASCII.GetBytes(link);
            if (name.Length >= 16) throw new ArgumentException($"link name too long: {link}");
            name.CopyTo(req, 0);
            if (ioctl(fd, SiocGifIndex, req) != 0) throw Errno($"SIOCGIFINDEX {link}");
            var ifIndex = BitConverter.ToInt32(req, 16);
            if (ioctl(fd, SiocGifHwAddr, req) != 0) throw Errno($"SIOCGIFHWADDR {link}");
            var mac = new PhysicalAddress(req.AsSpan(18, 6).ToArray());
            return new PacketSocket(fd, link, ifIndex, mac);
        }
        catch
        {
            close(fd);
            throw;
        }
    }

    public void Send(byte[] frame)
    {
        var addr = new byte[20];
        BitConverter.TryWriteBytes(addr.AsSpan(0), (ushort)AfPacket);
        // sll_protocol in network order: the frame's own EtherType.
        addr[2] = frame[12];
        addr[3] = frame[13];
        BitConverter.TryWriteBytes(addr.AsSpan(4), IfIndex);
        addr[11] = 6;
        frame.AsSpan(0, 6).CopyTo(addr.AsSpan(12));
        if (sendto(_fd, frame, (nuint)frame.Length, 0, addr, addr.Length) < 0) throw Errno($"sendto on {Link}");
    }

    public void Dispose() => close(_fd);

    private static ushort Htons(ushort v) => BitConverter.IsLittleEndian ? (ushort)(v << 8 | v >> 8) : v;

    private static IOException Errno(string what) => new($"{what}: {Marshal.GetLastPInvokeErrorMessage()}");

    [LibraryImport("libc", SetLastError = true)]
    private static partial int socket(int domain, int type, int protocol);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ioctl(int fd, ulong request, byte[] arg);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint sendto(int fd, byte[] buf, nuint len, int flags, byte[] addr, int addrLen);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
