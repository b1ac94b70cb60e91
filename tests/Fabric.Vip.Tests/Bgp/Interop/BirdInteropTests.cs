using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Fabric.Actors;
using Fabric.Actors.Config;
using Fabric.Vip.Bgp.Speaker;
using static Fabric.Vip.Tests.Bgp.Interop.Interop;

namespace Fabric.Vip.Tests.Bgp.Interop;

[Trait("Category", "Interop")]
public sealed class BirdInteropTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private readonly NetworkNamespacePair _net = new();
    private readonly ConcurrentDictionary<string, BgpPeerStatus> _status = new();
    private readonly IActorRef _recorder;

    public BirdInteropTests() => _recorder = Sys.ActorOf(Props.Create(() => new StatusRecorder(_status)));

    private IActorRef StartSpeaker(BgpSettings settings, string name = "bgp") =>
        Sys.ActorOf(BgpSpeaker.Props(settings, _recorder, _net.FabricSockets), name);

    private BgpPeerStatus? Status => _status.GetValueOrDefault(NetworkNamespacePair.PeerV4);

    [Fact]
    public async Task Routes_arrive_with_attributes_and_withdraw_removes_them()
    {
        var bird = new BirdPeer(_net);
        bird.Start();
        var speaker = StartSpeaker(Settings(Peer()));
        await Eventually(bird.IsEstablished, TimeSpan.FromSeconds(15), "BIRD Established");

        await Eventually(() => bird.Route("198.51.100.1/32") != "" && bird.Route("2001:db8:100::1/128") != "", TimeSpan.FromSeconds(5), "routes in BIRD");
        var v4 = bird.Route("198.51.100.1/32");
        Assert.Contains("BGP.next_hop: 203.0.113.2", v4);
        Assert.Contains("(64513,100)", v4);
        Assert.Contains("(65535,65281)", v4); // no-export
        Assert.Contains("(64513, 1, 2)", v4);
        Assert.Contains("BGP.med: 20", v4);
        Assert.Contains("BGP.as_path: 64513", v4);
        var v6 = bird.Route("2001:db8:100::1/128");
        Assert.Contains("BGP.next_hop: 2001:db8:ffff::2", v6);
        Assert.Contains("(64513, 1, 2)", v6);

        await Eventually(() => Status is { State: "Established", PrefixesSent: 2 }, TimeSpan.FromSeconds(5), "status Established with 2 prefixes");
        Assert.Contains("ipv6-unicast", Status!.NegotiatedCapabilities);
        Assert.Contains("4-byte-asn", Status.NegotiatedCapabilities);
        Assert.Equal(9, Status.HoldTimeSeconds);

        // Programmatic source next to config, then withdraw both ways.
        speaker.Tell(new BgpSpeaker.Announce(IpPrefix.Parse("198.51.100.7/32"), new BgpRouteAttributes([], [new(64513, 7, 7)]), Source: "lb"));
        await Eventually(() => bird.Route("198.51.100.7/32").Contains("(64513, 7, 7)"), TimeSpan.FromSeconds(5), "programmatic route");
        speaker.Tell(new BgpSpeaker.Withdraw(IpPrefix.Parse("198.51.100.7/32"), "lb"));
        speaker.Tell(new BgpSpeaker.Apply(Settings(Peer()) with { Advertisements = [] }));
        await Eventually(() => bird.RouteCount() == 0, TimeSpan.FromSeconds(5), "all routes withdrawn");
        Assert.Equal("Established", Status!.State); // advertisement changes never restart the session
    }

    [Fact]
    public async Task Peer_restart_and_our_restart_recover()
    {
        var bird = new BirdPeer(_net);
        bird.Start();
        var speaker = StartSpeaker(Settings(Peer()));
        await Eventually(() => bird.Route("198.51.100.1/32") != "", TimeSpan.FromSeconds(15), "route in BIRD");

        bird.Kill();
        await Eventually(() => Status?.State != "Established", TimeSpan.FromSeconds(12), "session down after BIRD died");
        bird.Start();
        await Eventually(() => bird.Route("198.51.100.1/32") != "", TimeSpan.FromSeconds(20), "route back after BIRD restart");

        // Our restart: graceful stop (Cease) withdraws everything, a new speaker brings it back.
        await speaker.GracefulStop(TimeSpan.FromSeconds(5));
        await Eventually(() => bird.RouteCount() == 0 && !bird.IsEstablished(), TimeSpan.FromSeconds(5), "BIRD dropped our routes after Cease");
        Assert.Contains("Administrative shutdown", bird.Protocol());
        StartSpeaker(Settings(Peer()), "bgp2");
        await Eventually(() => bird.Route("198.51.100.1/32") != "" && bird.Route("2001:db8:100::1/128") != "", TimeSpan.FromSeconds(15), "routes back after our restart");
    }

    [Fact]
    public async Task Graceful_restart_keeps_our_routes_at_the_peer_across_our_crash()
    {
        var bird = new BirdPeer(_net, "graceful restart on;");
        bird.Start();
        var speaker = StartSpeaker(Settings(Peer() with { GracefulRestart = true }));
        await Eventually(() => bird.Route("198.51.100.1/32") != "", TimeSpan.FromSeconds(15), "route in BIRD");
        Assert.Contains("graceful-restart", Status!.NegotiatedCapabilities);

        speaker.Tell(new BgpSpeaker.AbortPeer(Interop.PeerV4));
        await Eventually(() => Status?.State != "Established", TimeSpan.FromSeconds(5), "our session dropped");
        Assert.NotEqual("", bird.Route("198.51.100.1/32")); // kept (stale) by the peer
        await Eventually(() => Status?.State == "Established" && Status.EstablishedTransitions == 2, TimeSpan.FromSeconds(15), "re-established");
        await Task.Delay(1000);
        Assert.NotEqual("", bird.Route("198.51.100.1/32"));
        Assert.DoesNotContain("stale", bird.Route("198.51.100.1/32"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Hold_timer_expiry_tears_down_a_silent_peer_within_the_hold_time()
    {
        var bird = new BirdPeer(_net, "hold time 3; keepalive time 1;");
        bird.Start();
        StartSpeaker(Settings(Peer() with { HoldTime = TimeSpan.FromSeconds(3), KeepaliveTime = TimeSpan.FromSeconds(1) }));
        await Eventually(() => Status?.State == "Established", TimeSpan.FromSeconds(15), "Established");
        Assert.Equal(3, Status!.HoldTimeSeconds);

        _net.SilencePeer();
        var silenced = Stopwatch.StartNew();
        await Eventually(() => Status?.State != "Established", TimeSpan.FromSeconds(6), "session down");
        var elapsed = silenced.Elapsed;
        Assert.True(elapsed <= TimeSpan.FromSeconds(3.5), $"took {elapsed.TotalSeconds:0.0} s");
        Assert.Contains("Hold Timer Expired", Status!.LastError);
    }

    [Fact]
    public async Task Two_byte_only_peer_gets_as_trans_and_as4_path()
    {
        var bird = new BirdPeer(_net, "enable as4 off;", fabricAs: "23456");
        bird.Start();
        // BIRD with AS4 off still reads a 4-byte ASN capability (and rejects the AS): send none, as the setting is for.
        StartSpeaker(Settings(Peer() with { DisableFourByteAsn = true }, asn: 4200000001));
        try { await Eventually(() => bird.Route("198.51.100.1/32") != "", TimeSpan.FromSeconds(15), "route in BIRD"); }
        catch (Exception e) { throw new Exception($"{Status} {bird.Protocol()}", e); }
        Assert.DoesNotContain("4-byte-asn", Status!.NegotiatedCapabilities);
        // Nothing in the OPEN told BIRD our real AS (2-byte session, AS_TRANS): it can only have rebuilt
        // 4200000001 from the AS4_PATH next to AS_PATH [23456] (RFC 6793 §4.2.3).
        var route = bird.Route("198.51.100.1/32");
        Assert.True(route.Contains("BGP.as_path: 4200000001"), route);
    }

    [Fact]
    public async Task Md5_session_establishes_and_a_wrong_password_does_not()
    {
        var bird = new BirdPeer(_net, "password \"s3cret-md5\";");
        bird.Start();
        var wrong = StartSpeaker(Settings(Peer() with { Password = "wrong" }));
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(bird.IsEstablished());
        Assert.NotEqual("Established", Status?.State);
        await wrong.GracefulStop(TimeSpan.FromSeconds(5));

        StartSpeaker(Settings(Peer() with { Password = "s3cret-md5" }), "bgp2");
        await Eventually(() => bird.Route("198.51.100.1/32") != "", TimeSpan.FromSeconds(15), "route over MD5 session");
    }

    [Fact]
    public async Task Gtsm_session_establishes_with_ttl_security()
    {
        var bird = new BirdPeer(_net, "ttl security on;");
        bird.Start();
        StartSpeaker(Settings(Peer() with { Gtsm = true }));
        await Eventually(() => bird.Route("198.51.100.1/32") != "", TimeSpan.FromSeconds(15), "route over a GTSM session");
    }

    protected override void Dispose(bool disposing)
    {
        try { base.Dispose(disposing); }
        finally { _net.Dispose(); }
    }
}
