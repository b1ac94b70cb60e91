using System.Diagnostics;

namespace Fabric.Vip.Tests.Bgp.Interop;

/// <summary>BIRD 2 as a passive receiver in the peer namespace (config after /work/shared/reference/bgp-peers.md).</summary>
public sealed class BirdPeer(NetworkNamespacePair net, string protocolOptions = "", string localAs = "64512", string fabricAs = "64513")
{
    private string Ctl => Path.Combine(net.Dir, "bird.ctl");
    private string PidFile => Path.Combine(net.Dir, "bird.pid");

    public void Start()
    {
        var conf = Path.Combine(net.Dir, "bird.conf");
        File.WriteAllText(conf, $$"""
            router id {{NetworkNamespacePair.PeerV4}};
            timeformat protocol iso long ms;
            timeformat route iso long ms;
            protocol device { }
            protocol bgp fabric4 {
              local {{NetworkNamespacePair.PeerV4}} as {{localAs}};
              neighbor {{NetworkNamespacePair.FabricV4}} as {{fabricAs}};
              passive on;
              {{protocolOptions}}
              ipv4 { import all; export none; };
              ipv6 { import all; export none; };
            }
            """);
        NetworkNamespacePair.Run("ip", $"netns exec {net.Peer} bird -c {conf} -s {Ctl} -P {PidFile}");
    }

    /// <summary>SIGKILL: BIRD vanishes without a NOTIFICATION (the kernel resets its connections).</summary>
    public void Kill()
    {
        var pid = int.Parse(File.ReadAllText(PidFile).Trim());
        using var p = Process.GetProcessById(pid);
        p.Kill();
        p.WaitForExit(5000);
        File.Delete(PidFile);
    }

    public string Birdc(string command) => NetworkNamespacePair.Run("birdc", $"-s {Ctl} {command}");

    public string Protocol() => Birdc("show protocols all fabric4");

    public bool IsEstablished() => Protocol().Contains("Established");

    /// <summary>The `show route all` block of one prefix, or "" when BIRD does not have it.</summary>
    public string Route(string prefix)
    {
        var text = Birdc($"show route all {prefix}");
        return text.Contains(prefix) ? text : "";
    }

    public int RouteCount()
    {
        // "N of M routes for N networks in table master4"
        var text = Birdc("show route count");
        return text.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^(\d+) of \d+ routes"))
            .Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value));
    }
}
