using System.Diagnostics;
using System.Net;
using Fabric.Vip.Layer2;

namespace Fabric.Vip.Tests.Layer2;

/// <summary>Two network namespaces joined by a veth pair; the announcer sends from one and the other's neighbour
/// table must point the VIP at the sender's MAC. Needs root; namespaces are removed even on failure.</summary>
public sealed class NamespaceTests : IDisposable
{
    private readonly string _a = $"fvip-{Guid.NewGuid().ToString("N")[..6]}a";
    private readonly string _b;
    private readonly bool _ready;

    public NamespaceTests()
    {
        _b = _a[..^1] + "b";
        if (Environment.UserName != "root" || !File.Exists("/usr/sbin/ip") && !File.Exists("/sbin/ip") && !File.Exists("/usr/bin/ip")) return;
        Ip($"netns add {_a}");
        Ip($"netns add {_b}");
        Ip($"-n {_a} link add va type veth peer name vb netns {_b}");
        Ip($"-n {_a} addr add 192.0.2.1/24 dev va");
        Ip($"-n {_a} addr add 2001:db8::1/64 dev va nodad");
        Ip($"-n {_b} addr add 192.0.2.2/24 dev vb");
        Ip($"-n {_b} addr add 2001:db8::2/64 dev vb nodad");
        Ip($"-n {_a} link set va up");
        Ip($"-n {_b} link set vb up");
        Run("ip", $"netns exec {_b} sysctl -qw net.ipv4.conf.vb.arp_accept=1");
        _ready = true;
    }

    public void Dispose()
    {
        Run("ip", $"netns del {_a}", check: false);
        Run("ip", $"netns del {_b}", check: false);
    }

    [Fact]
    public async Task Announcements_update_the_peers_neighbour_table()
    {
        if (!_ready) return;
        var mac = Run("ip", $"-n {_a} -br link show va").Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        await Ipv6ReadyAsync();
        // IPv6 never creates an entry from an unsolicited NA; it overrides an existing one.
        Ip($"-n {_b} neigh add 2001:db8::10 lladdr 02:00:00:00:00:99 dev vb nud stale");
        using var announcer = new Layer2Announcer($"/var/run/netns/{_a}");
        await announcer.AnnounceAsync(new VipAnnouncement(IPAddress.Parse("192.0.2.10"), "va", 1), CancellationToken.None);
        await announcer.AnnounceAsync(new VipAnnouncement(IPAddress.Parse("2001:db8::10"), "va", 1), CancellationToken.None);
        await Task.Delay(100);
        Assert.Contains(mac, Run("ip", $"-n {_b} neigh show 192.0.2.10"));
        Assert.Contains(mac, Run("ip", $"-n {_b} neigh show 2001:db8::10"));
    }

    [Fact]
    public async Task Capture_shows_a_burst_of_well_formed_announcements()
    {
        if (!_ready || !File.Exists("/usr/bin/tshark")) return;
        await Ipv6ReadyAsync();
        var psi = new ProcessStartInfo("ip", $"netns exec {_b} tshark -l -n -i vb -a duration:3 -f \"arp or (icmp6 and ip6[40] == 136)\" " +
            "-T fields -E separator=, -e arp.opcode -e arp.src.proto_ipv4 -e arp.dst.proto_ipv4 -e ipv6.hlim -e icmpv6.nd.na.flag.o -e icmpv6.checksum.status -e icmpv6.nd.na.target_address")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var tshark = Process.Start(psi)!;
        var started = new TaskCompletionSource();
        tshark.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("Capturing on") == true) started.TrySetResult(); };
        tshark.BeginErrorReadLine();
        var lines = new List<string>();
        var stdout = Task.Run(async () => { while (await tshark.StandardOutput.ReadLineAsync() is { } l) lines.Add(l); });
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // tshark reports before the kernel filter is attached; give it a moment.
        await Task.Delay(300);
        using var announcer = new Layer2Announcer($"/var/run/netns/{_a}");
        await announcer.AnnounceAsync(new VipAnnouncement(IPAddress.Parse("192.0.2.10"), "va", 1), CancellationToken.None);
        await announcer.AnnounceAsync(new VipAnnouncement(IPAddress.Parse("2001:db8::10"), "va", 1), CancellationToken.None);
        await tshark.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await stdout;
        var all = string.Join(" | ", lines);
        Assert.True(lines.Count >= 9, all);
        Assert.Equal(3, lines.Count(l => l.StartsWith("1,192.0.2.10,192.0.2.10")));
        Assert.Equal(3, lines.Count(l => l.StartsWith("2,192.0.2.10,192.0.2.10")));
        var na = lines.Where(l => l.EndsWith("2001:db8::10")).ToList();
        Assert.Equal(3, na.Count);
        // hop limit 255, Override flag set, ICMPv6 checksum status good.
        Assert.All(na, l => Assert.StartsWith(",,,255,1,1,", l));
    }

    [Fact]
    public async Task A_missing_link_is_an_announce_exception()
    {
        if (!_ready) return;
        using var announcer = new Layer2Announcer($"/var/run/netns/{_a}");
        await Assert.ThrowsAsync<AnnounceException>(() =>
            announcer.AnnounceAsync(new VipAnnouncement(IPAddress.Parse("192.0.2.10"), "nope0", 1), CancellationToken.None));
    }

    /// <summary>A freshly raised link drops NDP until its link-local address has passed duplicate detection.</summary>
    private async Task Ipv6ReadyAsync()
    {
        for (var i = 0; i < 60; i++)
        {
            if (Run("ip", $"-n {_a} -6 addr show tentative").Trim() == "" && Run("ip", $"-n {_b} -6 addr show tentative").Trim() == "") return;
            await Task.Delay(50);
        }
    }

    private static void Ip(string args) => Run("ip", args);

    private static string Run(string file, string args, bool check = true)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (check && p.ExitCode != 0) throw new InvalidOperationException($"{file} {args}: {output}");
        return output;
    }
}
