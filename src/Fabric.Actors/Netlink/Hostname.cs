using System.Runtime.InteropServices;
using System.Text;
using Fabric.Actors.Kernel;

namespace Fabric.Actors.Netlink;

/// <summary>sethostname/gethostname. They act on the calling thread's UTS namespace, which is why they run
/// synchronously on the caller's thread rather than hopping to the pool.</summary>
internal static unsafe class Hostname
{
    private const int MaxLength = 64; // HOST_NAME_MAX

    public static Task SetAsync(string hostname)
    {
        var bytes = Encoding.ASCII.GetBytes(hostname);
        if (bytes.Length is 0 or > MaxLength || Encoding.ASCII.GetString(bytes) != hostname)
            return Task.FromException(new KernelException(22, $"set hostname \"{hostname}\"", $"a hostname is 1..{MaxLength} ASCII characters"));
        fixed (byte* name = bytes)
        {
            if (Native.SetHostName(name, bytes.Length) != 0) return Task.FromException(Failure($"set hostname \"{hostname}\""));
        }
        return Task.CompletedTask;
    }

    public static Task<string> GetAsync()
    {
        var buffer = stackalloc byte[MaxLength + 1];
        if (Native.GetHostName(buffer, MaxLength + 1) != 0) return Task.FromException<string>(Failure("get hostname"));
        return Task.FromResult(Marshal.PtrToStringAnsi((nint)buffer) ?? "");
    }

    private static KernelException Failure(string operation)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new KernelException(errno, operation, Native.StrError(errno));
    }
}
