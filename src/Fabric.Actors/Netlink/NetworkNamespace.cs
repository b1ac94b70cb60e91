using System.Runtime.InteropServices;
using Fabric.Actors.Kernel;
using Microsoft.Win32.SafeHandles;

namespace Fabric.Actors.Netlink;

/// <summary>Runs a short piece of work inside another network namespace. setns() switches only the calling
/// thread, so the work runs on a thread of its own that enters the namespace, works, and switches back; no pool
/// thread is ever left in a foreign namespace.</summary>
internal static class NetworkNamespace
{
    public static T Run<T>(string? path, Func<T> work)
    {
        if (path is null) return work();
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = Enter(path, work); }
            catch (Exception e) { failure = e; }
        }) { IsBackground = true, Name = "netns " + path };
        thread.Start();
        thread.Join();
        if (failure is not null) throw failure;
        return result;
    }

    private static T Enter<T>(string path, Func<T> work)
    {
        using var home = Open("/proc/thread-self/ns/net");
        using var target = Open(path);
        Switch(target, $"enter network namespace {path}");
        try { return work(); }
        finally { Switch(home, "return to the original network namespace"); }
    }

    private static SafeFileHandle Open(string path)
    {
        try { return File.OpenHandle(path, FileMode.Open, FileAccess.Read); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelException(2, $"open network namespace {path}", e.Message);
        }
    }

    private static void Switch(SafeFileHandle ns, string operation)
    {
        if (Native.SetNs((int)ns.DangerousGetHandle(), Native.CloneNewNet) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        throw new KernelException(errno, operation, Native.StrError(errno));
    }
}
