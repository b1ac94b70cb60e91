using System.Diagnostics;

namespace Fabric.Vip.Tests.Bgp.Interop;

/// <summary>gobgpd in the peer namespace (active, so it also exercises connection collisions).</summary>
public sealed class GoBgpPeer(NetworkNamespacePair net)
{
    private readonly int _apiPort = 51000 + Random.Shared.Next(2000);
    private Process? _process;

    public void Start()
    {
        var conf = Path.Combine(net.Dir, "gobgpd.toml");
        File.WriteAllText(conf, $"""
            [global.config]
              as = 64512
              router-id = "{NetworkNamespacePair.PeerV4}"
            [[neighbors]]
              [neighbors.config]
                neighbor-address = "{NetworkNamespacePair.FabricV4}"
                peer-as = 64513
              [neighbors.timers.config]
                connect-retry = 1
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv4-unicast"
              [[neighbors.afi-safis]]
                [neighbors.afi-safis.config]
                  afi-safi-name = "ipv6-unicast"
            """);
        _process = Process.Start(new ProcessStartInfo("ip",
            $"netns exec {net.Peer} gobgpd -f {conf} --api-hosts 127.0.0.1:{_apiPort} --pprof-disable -p")
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public void Kill()
    {
        _process?.Kill(entireProcessTree: true);
        _process?.WaitForExit(5000);
    }

    public string Gobgp(string args) => NetworkNamespacePair.Run("ip", $"netns exec {net.Peer} gobgp -p {_apiPort} {args}");

    public string Rib(string family) => Gobgp($"global rib -a {family} -j");

    public bool IsEstablished() => Gobgp("neighbor").Contains("Establ");
}
