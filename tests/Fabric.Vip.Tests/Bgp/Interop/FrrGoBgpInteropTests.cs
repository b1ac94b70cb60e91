using System.Collections.Concurrent;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Vip.Bgp.Speaker;
using static Fabric.Vip.Tests.Bgp.Interop.Interop;

namespace Fabric.Vip.Tests.Bgp.Interop;

[Trait("Category", "Interop")]
public sealed class FrrGoBgpInteropTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private readonly NetworkNamespacePair _net = new();
    private readonly ConcurrentDictionary<string, BgpPeerStatus> _status = new();
    private readonly IActorRef _recorder;

    public FrrGoBgpInteropTests() => _recorder = Sys.ActorOf(Props.Create(() => new StatusRecorder(_status)));

    private IActorRef StartSpeaker(BgpSettings settings, string name = "bgp") =>
        Sys.ActorOf(BgpSpeaker.Props(settings, _recorder, _net.FabricSockets), name);

    private BgpPeerStatus? Status => _status.GetValueOrDefault(NetworkNamespacePair.PeerV4);

    [Fact]
    public async Task Frr_receives_routes_with_attributes_withdraws_and_recovers_from_its_restart()
    {
        var frr = new FrrPeer(_net);
        frr.Start();
        var speaker = StartSpeaker(Settings(Peer()));
        await Eventually(() => frr.Route("ipv4", "198.51.100.1/32") != "" && frr.Route("ipv6", "2001:db8:100::1/128") != "",
            TimeSpan.FromSeconds(20), "routes in FRR");
        var v4 = frr.Route("ipv4", "198.51.100.1/32");
        Assert.Contains("\"string\":\"64513:100 no-export\"", v4);
        Assert.Contains("\"string\":\"64513:1:2\"", v4);
        Assert.Contains("\"ip\":\"203.0.113.2\"", v4);
        Assert.Contains("\"metric\":20", v4);
        var v6 = frr.Route("ipv6", "2001:db8:100::1/128");
        Assert.Contains("\"ip\":\"2001:db8:ffff::2\"", v6);
        Assert.Contains("64513:1:2", v6);
        Assert.Contains("enhanced-route-refresh", Status!.NegotiatedCapabilities);

        // FRR asks again (ROUTE-REFRESH); we answer with the family's table.
        frr.Vtysh("clear bgp ipv4 unicast 203.0.113.2 soft in");
        await Task.Delay(500);
        Assert.Equal("Established", Status!.State);

        speaker.Tell(new BgpSpeaker.Apply(Settings(Peer()) with { Advertisements = [] }));
        await Eventually(() => frr.Route("ipv4", "198.51.100.1/32") == "" && frr.Route("ipv6", "2001:db8:100::1/128") == "",
            TimeSpan.FromSeconds(5), "withdrawn from FRR");

        speaker.Tell(new BgpSpeaker.Apply(Settings(Peer())));
        frr.Kill();
        frr.Start();
        await Eventually(() => frr.Route("ipv4", "198.51.100.1/32") != "", TimeSpan.FromSeconds(20), "route back after FRR restart");
    }

    [Fact]
    public async Task Frr_md5_session()
    {
        var frr = new FrrPeer(_net, $"neighbor {NetworkNamespacePair.FabricV4} password fr-md5-key");
        frr.Start();
        StartSpeaker(Settings(Peer() with { Password = "fr-md5-key" }));
        await Eventually(() => frr.Route("ipv4", "198.51.100.1/32") != "", TimeSpan.FromSeconds(20), "route over MD5");
    }

    [Fact]
    public async Task GoBgp_receives_routes_resolves_collision_and_withdraws()
    {
        var gobgp = new GoBgpPeer(_net);
        gobgp.Start();
        var speaker = StartSpeaker(Settings(Peer()));
        await Eventually(() => gobgp.Rib("ipv4").Contains("198.51.100.1/32") && gobgp.Rib("ipv6").Contains("2001:db8:100::1/128"),
            TimeSpan.FromSeconds(25), "routes in GoBGP");
        var v4 = gobgp.Rib("ipv4");
        Assert.Contains("4227924068", v4);               // 64513:100
        Assert.Contains("\"local_data1\":1", v4.ToLowerInvariant().Replace("localdata1", "local_data1"));
        Assert.Contains("\"nexthop\":\"203.0.113.2\"", v4);
        Assert.Contains("\"nexthop\":\"2001:db8:ffff::2\"", gobgp.Rib("ipv6"));

        speaker.Tell(new BgpSpeaker.Apply(Settings(Peer()) with { Advertisements = [] }));
        await Eventually(() => !gobgp.Rib("ipv4").Contains("198.51.100.1/32") && !gobgp.Rib("ipv6").Contains("2001:db8:100"),
            TimeSpan.FromSeconds(5), "withdrawn from GoBGP");
        // Whatever the race of the two connections, exactly one session stays up.
        await Task.Delay(2000);
        Assert.Equal("Established", Status!.State);
        Assert.True(gobgp.IsEstablished());
    }

    protected override void Dispose(bool disposing)
    {
        try { base.Dispose(disposing); }
        finally { _net.Dispose(); }
    }
}
