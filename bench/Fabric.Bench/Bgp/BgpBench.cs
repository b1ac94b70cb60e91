using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Fabric.Actors;
using Fabric.Actors.Config;
using Fabric.Vip.Bgp.Speaker;

namespace Fabric.Bench.Bgp;

/// <summary>
/// `fabric-bench bgp [N] [fabric,gobgp,bird]`: N /32 prefixes (default 100,000) from Established to all installed in a
/// BIRD receiver, one sender at a time, each in a fresh pair of namespaces. Timings come from BIRD's own timestamps.
/// </summary>
public static class BgpBench
{
    private sealed record Result(string Sender, double P99, double All, long RssKiB);

    public static async Task<int> RunAsync(string[] args)
    {
        var n = args.Length > 1 ? int.Parse(args[1]) : 100_000;
        var senders = args.Length > 2 ? args[2].Split(',') : ["fabric", "gobgp", "bird"];
        var results = new List<Result>();
        foreach (var sender in senders)
        {
            using var net = new BenchNamespaces();
            var rx = new BirdReceiver(net);
            rx.Start();
            var result = sender switch
            {
                "fabric" => await Fabric(net, rx, n),
                "gobgp" => await GoBgp(net, rx, n),
                "bird" => await Bird(net, rx, n),
                _ => throw new ArgumentException($"unknown sender {sender}"),
            };
            Console.WriteLine($"{result.Sender}: 99 % {result.P99:0.000} s, 100 % {result.All:0.000} s, sender RSS {result.RssKiB / 1024.0:0} MiB");
            results.Add(result);
        }
        Console.WriteLine();
        Console.WriteLine($"| sender | all {n} installed after Established | 99 % | sender RSS |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var r in results) Console.WriteLine($"| {r.Sender} | {r.All:0.000} s | {r.P99:0.000} s | {r.RssKiB / 1024.0:0} MiB |");
        var fabric = results.FirstOrDefault(r => r.Sender == "Fabric");
        foreach (var other in results.Where(r => r != fabric && fabric is not null))
            Console.WriteLine($"Fabric / {other.Sender}: time {fabric!.All / other.All:0.00} (99 %: {fabric.P99 / other.P99:0.00}), RSS {(double)fabric.RssKiB / other.RssKiB:0.00}");
        return 0;
    }

    private static async Task<Result> Fabric(BenchNamespaces net, BirdReceiver rx, int n)
    {
        var prefixes = Enumerable.Range(0, n).Select(i => new IpPrefix(new IPAddress(BitConverter.GetBytes(0x0A000000u + (uint)i).Reverse().ToArray()), 32)).ToList();
        var settings = new BgpSettings
        {
            Asn = 64513,
            RouterId = IPAddress.Parse("203.0.113.2"),
            ListenPort = 0,
            Peers = [new BgpPeerSettings { Address = IPAddress.Parse("203.0.113.1"), Asn = 64512, ConnectRetryTime = TimeSpan.FromSeconds(1) }],
            Advertisements = [new BgpAdvertisementSettings { Prefixes = prefixes }],
        };
        using var system = ActorSystem.Create("bench", Environment.GetEnvironmentVariable("FABRIC_BENCH_AKKA") ?? "akka.loglevel = WARNING");
        // Same order as gobgpd's run: routes loaded first, then the neighbor added.
        var speaker = system.ActorOf(BgpSpeaker.Props(settings with { Peers = [] }, ActorRefs.Nobody, new NamespaceSockets(net.Sender)), "bgp");
        await speaker.Ask<ActorIdentity>(new Identify(null), TimeSpan.FromSeconds(30));
        speaker.Tell(new BgpSpeaker.Apply(settings));
        await rx.WaitFor(n, TimeSpan.FromSeconds(120));
        var rss = BenchNamespaces.RssKiB(Environment.ProcessId);
        var (p99, all) = rx.Timing();
        await system.Terminate();
        return new Result("Fabric", p99, all, rss);
    }

    private static async Task<Result> GoBgp(BenchNamespaces net, BirdReceiver rx, int n)
    {
        var port = 52000 + Random.Shared.Next(1000);
        var conf = Path.Combine(net.Dir, "gobgpd.toml");
        File.WriteAllText(conf, "[global.config]\n  as = 64513\n  router-id = \"203.0.113.2\"\n");
        var mrt = Path.Combine(net.Dir, "routes.mrt");
        MrtFile.Write(mrt, n);
        using var gobgpd = Process.Start(new ProcessStartInfo("ip", $"netns exec {net.Sender} gobgpd -f {conf} --api-hosts 127.0.0.1:{port} --pprof-disable -p")
        { RedirectStandardOutput = true, RedirectStandardError = true })!;
        gobgpd.OutputDataReceived += (_, _) => { };
        gobgpd.ErrorDataReceived += (_, _) => { };
        gobgpd.BeginOutputReadLine();
        gobgpd.BeginErrorReadLine();
        string Gobgp(string a) => BenchNamespaces.Sh($"ip netns exec {net.Sender} gobgp -p {port} {a}");
        for (var i = 0; ; i++)
        {
            try { Gobgp("global"); break; }
            catch (InvalidOperationException) when (i < 50) { await Task.Delay(200); }
        }
        Gobgp($"mrt inject global {mrt}");
        Gobgp("neighbor add 203.0.113.1 as 64512");
        await rx.WaitFor(n, TimeSpan.FromSeconds(120));
        var pid = int.Parse(BenchNamespaces.Sh($"ip netns pids {net.Sender}").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .First(p => File.ReadAllText($"/proc/{p}/comm").Trim() == "gobgpd"));
        var rss = BenchNamespaces.RssKiB(pid);
        var (p99, all) = rx.Timing();
        return new Result("gobgpd", p99, all, rss);
    }

    private static async Task<Result> Bird(BenchNamespaces net, BirdReceiver rx, int n)
    {
        var conf = Path.Combine(net.Dir, "tx.conf");
        using (var w = new StreamWriter(conf))
        {
            w.WriteLine("router id 203.0.113.2;\nprotocol device { }\nprotocol static feed { ipv4;");
            for (var i = 0; i < n; i++) w.WriteLine($"  route 10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}/32 blackhole;");
            w.WriteLine("}\nprotocol bgp uplink { local 203.0.113.2 as 64513; neighbor 203.0.113.1 as 64512; connect retry time 1; ipv4 { import none; export all; }; }");
        }
        var pidFile = Path.Combine(net.Dir, "tx.pid");
        BenchNamespaces.Sh($"ip netns exec {net.Sender} bird -c {conf} -s {Path.Combine(net.Dir, "tx.ctl")} -P {pidFile}");
        await rx.WaitFor(n, TimeSpan.FromSeconds(120));
        var rss = BenchNamespaces.RssKiB(int.Parse(File.ReadAllText(pidFile).Trim()));
        var (p99, all) = rx.Timing();
        return new Result("BIRD", p99, all, rss);
    }
}
