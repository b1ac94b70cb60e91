using System.Diagnostics;

namespace Fabric.Vip.Tests.Bgp.Interop;

/// <summary>FRR bgpd standalone (no zebra) as a passive receiver in the peer namespace.</summary>
public sealed class FrrPeer(NetworkNamespacePair net, string neighborOptions = "")
{
    private string PidFile => Path.Combine(net.Dir, "bgpd.pid");

    public void Start()
    {
        var conf = Path.Combine(net.Dir, "bgpd.conf");
        var n = NetworkNamespacePair.FabricV4;
        File.WriteAllText(conf, $"""
            frr defaults traditional
            hostname frr-rx
            route-map DENY-ALL deny 10
            exit
            router bgp 64512
             bgp router-id {NetworkNamespacePair.PeerV4}
             no bgp ebgp-requires-policy
             neighbor {n} remote-as 64513
             neighbor {n} passive
             neighbor {n} timers connect 1
             {neighborOptions}
             address-family ipv4 unicast
              neighbor {n} route-map DENY-ALL out
             exit-address-family
             address-family ipv6 unicast
              neighbor {n} activate
              neighbor {n} route-map DENY-ALL out
             exit-address-family
            exit
            """);
        File.SetUnixFileMode(conf, (UnixFileMode)0x1B6);
        NetworkNamespacePair.Run("ip", $"netns exec {net.Peer} /usr/lib/frr/bgpd -d -f {conf} -i {PidFile} -z {Path.Combine(net.Dir, "zserv.api")} --vty_socket {net.Dir} -P 0 -Z -S -l {NetworkNamespacePair.PeerV4}");
    }

    public void Kill()
    {
        using var p = Process.GetProcessById(int.Parse(File.ReadAllText(PidFile).Trim()));
        p.Kill();
        p.WaitForExit(5000);
    }

    public string Vtysh(string command) => NetworkNamespacePair.Run("vtysh", $"--vty_socket {net.Dir} -d bgpd -c \"{command}\"");

    public string Route(string afi, string prefix)
    {
        var text = Vtysh($"show bgp {afi} unicast {prefix} json");
        return text.Contains("\"paths\"") ? text : "";
    }

    public bool IsEstablished() => Vtysh("show bgp ipv4 unicast summary json").Contains("\"state\":\"Established\"");
}
