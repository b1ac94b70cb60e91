using System.Globalization;
using System.Text.RegularExpressions;

namespace Fabric.Bench.Bgp;

/// <summary>The BIRD receiver: when its session became Established and when each route was installed (ms resolution).</summary>
internal sealed partial class BirdReceiver(BenchNamespaces net)
{
    private string Ctl => Path.Combine(net.Dir, "rx.ctl");

    public void Start()
    {
        var conf = Path.Combine(net.Dir, "rx.conf");
        File.WriteAllText(conf, """
            router id 203.0.113.1;
            timeformat protocol iso long ms;
            timeformat route iso long ms;
            protocol device { }
            protocol bgp fabric4 {
              local 203.0.113.1 as 64512;
              neighbor 203.0.113.2 as 64513;
              passive on;
              hold time 90; keepalive time 30;
              ipv4 { import all; export none; };
              ipv6 { import all; export none; };
            }
            """);
        BenchNamespaces.Sh($"ip netns exec {net.Receiver} bird -c {conf} -s {Ctl} -P {Path.Combine(net.Dir, "rx.pid")}");
    }

    public string Birdc(string command) => BenchNamespaces.Sh($"birdc -s {Ctl} {command}");

    public int Count() =>
        Birdc("show route count").Split('\n').Select(l => CountLine().Match(l)).Where(m => m.Success).Sum(m => int.Parse(m.Groups[1].Value));

    public async Task WaitFor(int n, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Count() < n)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"BIRD has {Count()} of {n} routes");
            await Task.Delay(250);
        }
    }

    /// <summary>Seconds from Established to the 99 % and 100 % route installation times.</summary>
    public (double P99, double All) Timing()
    {
        var since = Time(EstablishedLine().Match(Birdc("show protocols fabric4")).Groups[1].Value);
        var times = RouteLine().Matches(Birdc("show route")).Select(m => Time(m.Groups[1].Value)).Order().ToList();
        return ((times[(int)(times.Count * 0.99) - 1] - since).TotalSeconds, (times[^1] - since).TotalSeconds);
    }

    private static DateTime Time(string text) => DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(\d+) of \d+ routes")]
    private static partial Regex CountLine();
    [GeneratedRegex(@"up\s+(\S+ \S+)\s+Established")]
    private static partial Regex EstablishedLine();
    [GeneratedRegex(@"\[fabric4 (\S+ \S+)\]")]
    private static partial Regex RouteLine();
}
