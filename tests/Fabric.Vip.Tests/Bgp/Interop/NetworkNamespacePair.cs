using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Fabric.Vip.Bgp.Transport;

namespace Fabric.Vip.Tests.Bgp.Interop;

/// <summary>
/// Two network namespaces joined by a veth: the Fabric side (203.0.113.2, 2001:db8:ffff::2) and the peer side
/// (203.0.113.1, 2001:db8:ffff::1). Deleted on Dispose, which also ends every process left inside.
/// </summary>
public sealed class NetworkNamespacePair : IDisposable
{
    public const string FabricV4 = "203.0.113.2", PeerV4 = "203.0.113.1", FabricV6 = "2001:db8:ffff::2", PeerV6 = "2001:db8:ffff::1";

    public string Name { get; }
    public string Fabric => Name + "-a";
    public string Peer => Name + "-b";
    public string Dir { get; }

    public NetworkNamespacePair()
    {
        Name = "fbgp-" + Guid.NewGuid().ToString("n")[..6];
        Dir = Path.Combine(Path.GetTempPath(), Name);
        Directory.CreateDirectory(Dir);
        // Daemons drop privileges to their own users and must still reach their control sockets.
        File.SetUnixFileMode(Dir, (UnixFileMode)0x1FF);
        var va = Name[5..] + "va";
        var vb = Name[5..] + "vb";
        Run("ip", $"netns add {Fabric}");
        Run("ip", $"netns add {Peer}");
        Run("ip", $"link add {va} type veth peer name {vb}");
        Run("ip", $"link set {va} netns {Fabric}");
        Run("ip", $"link set {vb} netns {Peer}");
        Run("ip", $"-n {Fabric} addr add {FabricV4}/24 dev {va}");
        Run("ip", $"-n {Peer} addr add {PeerV4}/24 dev {vb}");
        Run("ip", $"-n {Fabric} addr add {FabricV6}/64 dev {va} nodad");
        Run("ip", $"-n {Peer} addr add {PeerV6}/64 dev {vb} nodad");
        foreach (var ns in new[] { Fabric, Peer }) Run("ip", $"-n {ns} link set lo up");
        Run("ip", $"-n {Fabric} link set {va} up");
        Run("ip", $"-n {Peer} link set {vb} up");
    }

    public IBgpSocketFactory FabricSockets => new NamespaceSocketFactory(Fabric);

    /// <summary>Drops every TCP packet the peer sends: it goes silent without closing anything.</summary>
    public void SilencePeer() =>
        Run("ip", $"netns exec {Peer} nft add table inet fbgp", "ip", $"netns exec {Peer} nft add chain inet fbgp out {{ type filter hook output priority 0 ; policy accept ; }}",
            "ip", $"netns exec {Peer} nft add rule inet fbgp out meta l4proto tcp drop");

    public static string Run(string file, string args, params string[] more)
    {
        var output = Exec(file, args);
        for (var i = 0; i + 1 < more.Length; i += 2) output += Exec(more[i], more[i + 1]);
        return output;
    }

    private static string Exec(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(30_000)) { p.Kill(); throw new TimeoutException($"{file} {args}"); }
        if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {args}: exit {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    public void Dispose()
    {
        foreach (var ns in new[] { Fabric, Peer })
        {
            try
            {
                // Processes started by the test in this namespace, by pid (never by name).
                foreach (var pid in Exec("ip", $"netns pids {ns}").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    try { Process.GetProcessById(int.Parse(pid)).Kill(); } catch (ArgumentException) { }
            }
            catch (Exception) { }
            try { Exec("ip", $"netns del {ns}"); } catch (Exception) { }
        }
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Creates sockets inside a named network namespace from a thread that entered it.</summary>
public sealed class NamespaceSocketFactory(string name) : IBgpSocketFactory
{
    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    private const int CloneNewNet = 0x40000000;

    public Socket Create(AddressFamily family)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle($"/var/run/netns/{name}");
                if (setns((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                    throw new InvalidOperationException($"setns({name}) failed: errno {Marshal.GetLastPInvokeError()}");
                socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
            }
            catch (Exception e) { error = e; }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw error!;
    }
}
