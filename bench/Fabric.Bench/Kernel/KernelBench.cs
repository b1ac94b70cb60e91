using System.Diagnostics;
using System.Net;
using System.Text;
using Fabric.Actors;
using Fabric.Actors.Netlink;

namespace Fabric.Bench.Kernel;

/// <summary>Issue 2's benchmark. Run inside a namespace made for it (bench/kernel/run does that): from `fabric apply`
/// of a config with N addresses and N routes to all of them present in the kernel, next to `ip -batch` applying the
/// same set, in the same run, alternating; then the agent's RSS and its CPU while idle.</summary>
public static class KernelBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var n = Arg(args, "--count", 1000);
        var rounds = Arg(args, "--rounds", 5);
        var idleSeconds = Arg(args, "--idle-seconds", 60);
        var dir = Directory.CreateTempSubdirectory("fabric-bench-kernel-").FullName;
        // The deployed form: a ReadyToRun-published `fabric` (bench/kernel/run publishes one); else the built dll.
        var fabric = Environment.GetEnvironmentVariable("FABRIC_BIN") is { Length: > 0 } bin
            ? bin : $"dotnet {typeof(Fabric.Node.Agent.NodeAgent).Assembly.Location}";

        Sh.Run("ip link set lo up; ip link add eth0 type veth peer name peer0; ip link add eth1 type veth peer name peer1; " +
               "ip link set peer0 up; ip link set peer1 up");
        var baseConfig = Config(dir, n: 0);
        var bigConfig = Config(dir, n);
        File.WriteAllText(Path.Combine(dir, "config.yaml"), baseConfig);
        File.WriteAllText(Path.Combine(dir, "base.yaml"), baseConfig);
        File.WriteAllText(Path.Combine(dir, "big.yaml"), bigConfig);
        File.WriteAllText(Path.Combine(dir, "batch"), Batch(n));

        using var kernel = NetlinkKernel.Open();
        var agent = Process.Start(new ProcessStartInfo("unshare", ["-u", .. fabric.Split(' '), "node", "--config", Path.Combine(dir, "config.yaml")])
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            var started = await WaitForLineAsync(agent, "running; API on", TimeSpan.FromSeconds(30));
            if (!started) throw new InvalidOperationException("the agent did not start");
            var eth0 = (await kernel.GetLinksAsync()).Single(l => l.Name == "eth0").Index;
            var eth1 = (await kernel.GetLinksAsync()).Single(l => l.Name == "eth1").Index;
            using var fabricWatch = new ConvergenceWatch(kernel, eth0, IsOurs);
            using var ipWatch = new ConvergenceWatch(kernel, eth1, IsOurs);
            using var http = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:50000/") };
            await fabricWatch.WaitAsync(0, 0, TimeSpan.FromSeconds(30));

            var ipTimes = new List<double>();
            var cliTimes = new List<double>();
            var apiTimes = new List<double>();
            var removeTimes = new List<double>();
            // One warm-up of each path so the first round does not measure JIT alone; it is reported apart.
            for (var round = -1; round < rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                Sh.Run($"ip -batch {Path.Combine(dir, "batch")}");
                await ipWatch.WaitAsync(n, n, TimeSpan.FromSeconds(60));
                if (round >= 0) ipTimes.Add(watch.Elapsed.TotalMilliseconds);
                Sh.Run("ip route flush dev eth1 && ip addr flush dev eth1");
                await ipWatch.WaitAsync(0, 0, TimeSpan.FromSeconds(60));

                watch.Restart();
                Sh.Run($"{fabric} apply {Path.Combine(dir, "big.yaml")}");
                await fabricWatch.WaitAsync(n, n, TimeSpan.FromSeconds(60));
                if (round >= 0) cliTimes.Add(watch.Elapsed.TotalMilliseconds);
                watch.Restart();
                await PostAsync(http, baseConfig);
                await fabricWatch.WaitAsync(0, 0, TimeSpan.FromSeconds(60));
                if (round >= 0) removeTimes.Add(watch.Elapsed.TotalMilliseconds);

                watch.Restart();
                await PostAsync(http, bigConfig);
                await fabricWatch.WaitAsync(n, n, TimeSpan.FromSeconds(60));
                if (round >= 0) apiTimes.Add(watch.Elapsed.TotalMilliseconds);
                if (round < rounds - 1)
                {
                    await PostAsync(http, baseConfig);
                    await fabricWatch.WaitAsync(0, 0, TimeSpan.FromSeconds(60));
                }
            }

            // Let the last apply's trailing work (its statuses, the runtime's tiered recompilation) finish first:
            // idle means nothing is changing.
            await Task.Delay(TimeSpan.FromSeconds(30));
            var rss = Status(agent.Id, "VmRSS");
            var hwm = Status(agent.Id, "VmHWM");
            var cpuBefore = CpuTicks(agent.Id);
            var threadsBefore = ThreadTicks(agent.Id);
            var wall = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
            var cpuSeconds = (CpuTicks(agent.Id) - cpuBefore) / 100.0;
            var busiest = ThreadTicks(agent.Id)
                .Select(t => (t.Key, Ticks: t.Value.Ticks - (threadsBefore.TryGetValue(t.Key, out var b) ? b.Ticks : 0), t.Value.Name))
                .Where(t => t.Ticks > 0).OrderByDescending(t => t.Ticks).Take(5)
                .Select(t => $"{t.Name} {t.Ticks / 100.0:F2}s");
            var idlePercent = 100 * cpuSeconds / wall.Elapsed.TotalSeconds;

            var report = new StringBuilder();
            report.AppendLine($"## Kernel convergence: {n} addresses + {n} routes (median of {rounds} rounds, {Environment.ProcessorCount} cores)");
            report.AppendLine();
            report.AppendLine("| path | median ms | min ms | max ms | ratio to ip -batch |");
            report.AppendLine("|---|---|---|---|---|");
            Row(report, "`ip -batch` (anchor; process start to exit)", ipTimes, Median(ipTimes));
            Row(report, "`fabric apply` (CLI process start to all present in the kernel)", cliTimes, Median(ipTimes));
            Row(report, "API `POST /v1/config` (request to all present in the kernel)", apiTimes, Median(ipTimes));
            Row(report, "removal by apply (request to all gone)", removeTimes, Median(ipTimes));
            report.AppendLine();
            report.AppendLine($"Agent RSS holding {n}+{n}: {rss / 1024.0:F1} MiB (peak {hwm / 1024.0:F1} MiB). " +
                              $"Idle CPU over {idleSeconds} s: {cpuSeconds:F2} CPU-seconds ({idlePercent:F3} % of one core); " +
                              $"busiest threads: {string.Join(", ", busiest)}.");
            Console.Write(report);
            return 0;
        }
        finally
        {
            agent.Kill(entireProcessTree: true);
            agent.WaitForExit();
            Directory.Delete(dir, true);
        }
    }

    private static bool IsOurs(IpPrefix p) => p.Address.GetAddressBytes() is [198, 18 or 19, ..];

    private static string Config(string dir, int n)
    {
        var text = new StringBuilder($"""
            version: v1alpha1
            machine:
              network:
                interfaces:
                  - interface: eth0
                    addresses:
                      - 192.0.2.5/24

            """);
        for (var i = 0; i < n; i++) text.Append($"          - {Host(i)}/32\n");
        text.Append("        routes:\n");
        for (var i = 0; i < n; i++) text.Append($"          - {{network: {Net(i)}/28, gateway: 192.0.2.1, metric: 1024}}\n");
        text.Append($"fabric:\n  stateDir: {dir}/state\n  etcRoot: {dir}/root\n");
        return text.ToString();
    }

    private static string Batch(int n)
    {
        var text = new StringBuilder("link set eth1 up\naddress add 192.0.2.5/24 dev eth1\n");
        for (var i = 0; i < n; i++) text.Append($"address add {Host(i)}/32 dev eth1\n");
        for (var i = 0; i < n; i++) text.Append($"route replace {Net(i)}/28 via 192.0.2.1 dev eth1 metric 1024\n");
        return text.ToString();
    }

    private static string Host(int i) => $"198.18.{i / 250}.{i % 250 + 1}";
    private static string Net(int i) => $"198.19.{i / 16}.{i % 16 * 16}";

    private static async Task PostAsync(HttpClient http, string yaml)
    {
        using var response = await http.PostAsync("v1/config", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"apply failed: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<bool> WaitForLineAsync(Process p, string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await p.StandardOutput.ReadLineAsync(cts.Token) is { } line)
            if (line.Contains(text)) { _ = p.StandardOutput.ReadToEndAsync(); _ = p.StandardError.ReadToEndAsync(); return true; }
        return false;
    }

    private static long Status(int pid, string key) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(key + ":")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11]) + long.Parse(fields[12]);
    }

    private static Dictionary<string, (long Ticks, string Name)> ThreadTicks(int pid) =>
        Directory.GetDirectories($"/proc/{pid}/task").ToDictionary(Path.GetFileName, t =>
        {
            var stat = File.ReadAllText(Path.Combine(t, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11]) + long.Parse(fields[12]), File.ReadAllText(Path.Combine(t, "comm")).Trim());
        })!;

    private static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);

    private static void Row(StringBuilder r, string name, List<double> xs, double anchor) =>
        r.AppendLine($"| {name} | {Median(xs):F0} | {xs.Min():F0} | {xs.Max():F0} | {Median(xs) / anchor:F2}x |");

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }
}
