using System.Diagnostics;

namespace Fabric.Node.Tests.Support;

/// <summary>A real BIRD 2 daemon in a test's namespace, as a passive BGP receiver.</summary>
public sealed class BirdPeer : IAsyncDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("fabric-bird-").FullName;
    private readonly NetworkNamespace ns;

    private BirdPeer(NetworkNamespace ns) => this.ns = ns;

    private string Socket => Path.Combine(dir, "bird.ctl");

    public static async Task<BirdPeer> StartAsync(NetworkNamespace ns, string localAddress, uint localAsn, string neighbor, uint neighborAsn)
    {
        var bird = new BirdPeer(ns);
        await File.WriteAllTextAsync(Path.Combine(bird.dir, "bird.conf"), $$"""
            router id {{localAddress}};
            protocol device { }
            protocol bgp fabric {
              local {{localAddress}} as {{localAsn}};
              neighbor {{neighbor}} as {{neighborAsn}};
              passive on;
              hold time 90; keepalive time 30;
              ipv4 { import all; export none; };
              ipv6 { import all; export none; };
            }
            """);
        await ns.RunAsync($"bird -c {bird.dir}/bird.conf -s {bird.Socket} -P {bird.dir}/bird.pid");
        return bird;
    }

    public Task<string> ShowAsync(string what) => Shell.RunAsync($"birdc -s {Socket} {what}", check: false);

    public async ValueTask DisposeAsync()
    {
        var pidFile = Path.Combine(dir, "bird.pid");
        if (File.Exists(pidFile) && int.TryParse((await File.ReadAllTextAsync(pidFile)).Trim(), out var pid))
        {
            try { Process.GetProcessById(pid).Kill(); } catch (ArgumentException) { }
        }
        Directory.Delete(dir, recursive: true);
    }
}
