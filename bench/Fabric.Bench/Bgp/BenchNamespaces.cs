using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Fabric.Vip.Bgp.Transport;

namespace Fabric.Bench.Bgp;

/// <summary>Sender namespace (203.0.113.2) and receiver namespace (203.0.113.1) joined by a veth; removed on Dispose.</summary>
internal sealed class BenchNamespaces : IDisposable
{
    public string Sender { get; }
    public string Receiver { get; }
    public string Dir { get; }

    public BenchNamespaces()
    {
        var id = Guid.NewGuid().ToString("n")[..6];
        Sender = $"fbgp-{id}-a";
        Receiver = $"fbgp-{id}-b";
        Dir = Path.Combine(Path.GetTempPath(), $"fbgp-{id}");
        Directory.CreateDirectory(Dir);
        File.SetUnixFileMode(Dir, (UnixFileMode)0x1FF);
        Sh($"ip netns add {Sender}; ip netns add {Receiver}; ip link add {id}va type veth peer name {id}vb; " +
           $"ip link set {id}va netns {Sender}; ip link set {id}vb netns {Receiver}; " +
           $"ip -n {Sender} addr add 203.0.113.2/24 dev {id}va; ip -n {Receiver} addr add 203.0.113.1/24 dev {id}vb; " +
           $"ip -n {Sender} link set lo up; ip -n {Receiver} link set lo up; ip -n {Sender} link set {id}va up; ip -n {Receiver} link set {id}vb up");
    }

    public static string Sh(string script)
    {
        using var p = Process.Start(new ProcessStartInfo("sh", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{script}: {error.Result}");
        return output.Result;
    }

    public static long RssKiB(int pid) =>
        long.Parse(File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    public void Dispose()
    {
        foreach (var ns in new[] { Sender, Receiver })
        {
            try
            {
                foreach (var pid in Sh($"ip netns pids {ns}").Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    try { using var p = Process.GetProcessById(int.Parse(pid)); p.Kill(); p.WaitForExit(2000); } catch (ArgumentException) { }
                Sh($"ip netns del {ns}");
            }
            catch (InvalidOperationException) { }
        }
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}

/// <summary>Creates sockets in a network namespace from a thread that entered it.</summary>
internal sealed class NamespaceSockets(string name) : IBgpSocketFactory
{
    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    public Socket Create(AddressFamily family)
    {
        Socket? socket = null;
        var thread = new Thread(() =>
        {
            using var ns = File.OpenHandle($"/var/run/netns/{name}");
            if (setns((int)ns.DangerousGetHandle(), 0x40000000) != 0) throw new InvalidOperationException("setns failed");
            socket = new Socket(family, SocketType.Stream, ProtocolType.Tcp);
        });
        thread.Start();
        thread.Join();
        return socket!;
    }
}
