using System.Diagnostics;
using Fabric.Actors.Netlink;

namespace Fabric.Actors.Tests.Netlink;

/// <summary>A scratch network namespace (fnl-RANDOM) with a NetlinkKernel opened inside it. Tests use `ip` only to
/// build fixtures and to look from the outside; everything under test goes through the kernel adapter.</summary>
internal sealed class Netns : IDisposable
{
    public string Name { get; } = "fnl-" + Guid.NewGuid().ToString("N")[..10];
    public string Path => "/var/run/netns/" + Name;
    public NetlinkKernel Kernel { get; }

    public Netns()
    {
        Run("ip", $"netns add {Name}");
        try
        {
            Ip("link set lo up");
            Kernel = NetlinkKernel.Open(Path);
        }
        catch
        {
            Run("ip", $"netns del {Name}");
            throw;
        }
    }

    public string Ip(string arguments) => Run("ip", $"-n {Name} {arguments}");

    /// <summary>Two veth ends, both up, so addresses and routes on them are usable.</summary>
    public void AddVethPair(string a = "veth0", string b = "veth1")
    {
        Ip($"link add {a} type veth peer name {b}");
        Ip($"link set {a} up");
        Ip($"link set {b} up");
    }

    public int IndexOf(string link) =>
        int.Parse(Ip($"-o link show dev {link}").Split(':')[0]);

    public static string Run(string file, string arguments, string? stdin = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null,
        };
        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed: {error}");
        return output.Result;
    }

    public void Dispose()
    {
        Kernel?.Dispose();
        try { Run("ip", $"netns del {Name}"); }
        catch (InvalidOperationException) { /* already gone: nothing to clean */ }
    }
}
