using System.Net;
using Akka.Actor;
using Akka.TestKit;
using Fabric.Actors;
using Fabric.Actors.Config;
using Fabric.Vip.Bgp.Speaker;

namespace Fabric.Vip.Tests.Bgp.Interop;

/// <summary>Shared pieces of the interop tests: speaker settings, polling, a status recorder.</summary>
public static class Interop
{
    public static readonly IPAddress PeerV4 = IPAddress.Parse(NetworkNamespacePair.PeerV4);

    public static BgpPeerSettings Peer(uint asn = 64512) => new()
    {
        Address = PeerV4,
        Asn = asn,
        HoldTime = TimeSpan.FromSeconds(9),
        KeepaliveTime = TimeSpan.FromSeconds(3),
        ConnectRetryTime = TimeSpan.FromSeconds(1),
        NextHopIPv6 = IPAddress.Parse(NetworkNamespacePair.FabricV6),
    };

    public static readonly BgpAdvertisementSettings Advertisement = new()
    {
        Prefixes = [IpPrefix.Parse("198.51.100.1/32"), IpPrefix.Parse("2001:db8:100::1/128")],
        Communities = ["64513:100", "no-export"],
        LargeCommunities = ["64513:1:2"],
        Med = 20,
    };

    public static BgpSettings Settings(BgpPeerSettings peer, uint asn = 64513, params BgpAdvertisementSettings[] ads) => new()
    {
        Asn = asn,
        RouterId = IPAddress.Parse(NetworkNamespacePair.FabricV4),
        Peers = [peer],
        Advertisements = ads.Length > 0 ? ads : [Advertisement],
    };

    public static async Task Eventually(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try { if (condition()) return; }
            catch (InvalidOperationException) when (DateTime.UtcNow < deadline) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for: {what}");
            await Task.Delay(200);
        }
    }
}

/// <summary>Keeps the latest status of each peer that the speaker reported.</summary>
public sealed class StatusRecorder : ReceiveActor
{
    public System.Collections.Concurrent.ConcurrentDictionary<string, BgpPeerStatus> Peers { get; }

    public StatusRecorder(System.Collections.Concurrent.ConcurrentDictionary<string, BgpPeerStatus> peers)
    {
        Peers = peers;
        Receive<BgpPeerStatus>(s => peers[s.Address] = s);
        Receive<BgpAdvertisementStatus>(_ => { });
    }
}
