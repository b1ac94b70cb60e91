using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Fabric.Actors;
using Fabric.Vip.Bgp.Session;
using Fabric.Vip.Bgp.Transport;

namespace Fabric.Vip.Bgp.Speaker;

/// <summary>From the sources' advertisements to each peer's Adj-RIB-Out, diffed, and the listening sockets.</summary>
public sealed partial class BgpSpeaker
{
    /// <summary>Every prefix with its candidate entries, sources in name order. For each peer the first candidate that
    /// goes to it decides the attributes, so sources and entries only shadow each other for the peers they share.</summary>
    private Dictionary<IpPrefix, (IReadOnlyList<BgpAdvertisementEntry> Entries, List<string> Sources)> Desired()
    {
        var desired = new Dictionary<IpPrefix, (IReadOnlyList<BgpAdvertisementEntry>, List<string>)>();
        foreach (var (source, entries) in _sources)
            foreach (var (prefix, candidates) in entries)
            {
                if (desired.TryGetValue(prefix, out var existing))
                {
                    existing.Item2.Add(source);
                    desired[prefix] = ([.. existing.Item1, .. candidates], existing.Item2);
                }
                else desired[prefix] = (candidates, [source]);
            }
        return desired;
    }

    private static BgpAdvertisementEntry? For(IReadOnlyList<BgpAdvertisementEntry> candidates, IPAddress peer)
    {
        foreach (var entry in candidates)
            if (entry.GoesTo(peer)) return entry;
        return null;
    }

    private void Recompute()
    {
        var desired = Desired();
        foreach (var (address, peer) in _peers)
        {
            var announce = new List<BgpRoute>();
            var withdraw = new List<IpPrefix>();
            foreach (var (prefix, (candidates, _)) in desired)
            {
                if (For(candidates, address) is not { } entry) continue;
                if (!peer.AdjRibOut.TryGetValue(prefix, out var current) || !current.Equals(entry.Attributes))
                {
                    peer.AdjRibOut[prefix] = entry.Attributes;
                    announce.Add(new BgpRoute(prefix, entry.Attributes));
                }
            }
            foreach (var prefix in peer.AdjRibOut.Keys)
                if (!desired.TryGetValue(prefix, out var d) || For(d.Entries, address) is null) withdraw.Add(prefix);
            foreach (var prefix in withdraw) peer.AdjRibOut.Remove(prefix);
            if ((announce.Count > 0 || withdraw.Count > 0) && !peer.Session.IsNobody())
            {
                peer.Session.Tell(new BgpRoutesChanged(announce, withdraw));
                if (peer.Status is { State: nameof(BgpState.Established) } status && status.PrefixesSent != peer.AdjRibOut.Count)
                {
                    peer.Status = status with { PrefixesSent = peer.AdjRibOut.Count };
                    _statusListener.Tell(peer.Status);
                }
            }
        }
        PublishAdvertisements(desired);
    }

    private void PublishAdvertisements(Dictionary<IpPrefix, (IReadOnlyList<BgpAdvertisementEntry> Entries, List<string> Sources)> desired)
    {
        // Many prefixes share attributes and peer lists: render each distinct one once.
        var rendered = new Dictionary<BgpRouteAttributes, BgpAdvertisementStatus>();
        var peerLists = new Dictionary<IReadOnlyList<IPAddress>, List<string>>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, (candidates, sources)) in desired)
        {
            var (template, peers) = candidates.Count == 1
                ? Render(candidates[0], rendered, peerLists)
                : RenderPerPeer(candidates, rendered);
            if (_published.TryGetValue(prefix, out var old) && old.Attributes == template.Attributes
                && old.Peers.SequenceEqual(peers) && old.Sources.SequenceEqual(sources)) continue;
            var status = template with { Prefix = prefix.ToString(), Peers = peers, Sources = sources };
            _published[prefix] = status;
            _statusListener.Tell(status);
        }
        foreach (var prefix in _published.Keys.Where(p => !desired.ContainsKey(p)).ToList())
        {
            _statusListener.Tell(_published[prefix] with { Peers = [], Sources = [] });
            _published.Remove(prefix);
        }
    }

    private (BgpAdvertisementStatus Template, List<string> Peers) Render(BgpAdvertisementEntry entry,
        Dictionary<BgpRouteAttributes, BgpAdvertisementStatus> rendered, Dictionary<IReadOnlyList<IPAddress>, List<string>> peerLists)
    {
        if (!peerLists.TryGetValue(entry.Peers, out var peers))
            peerLists[entry.Peers] = peers = _peers.Keys.Where(entry.GoesTo).Select(p => p.ToString()).Order().ToList();
        return (Template(entry.Attributes, rendered), peers);
    }

    /// <summary>A prefix whose peers get it from different entries: the status shows the first entry's attributes,
    /// every peer that gets it, and, when the attributes differ between peers, each variant with its peers.</summary>
    private (BgpAdvertisementStatus Template, List<string> Peers) RenderPerPeer(IReadOnlyList<BgpAdvertisementEntry> candidates,
        Dictionary<BgpRouteAttributes, BgpAdvertisementStatus> rendered)
    {
        var variants = new List<(BgpRouteAttributes Attributes, List<string> Peers)>();
        foreach (var address in _peers.Keys.OrderBy(a => a.ToString(), StringComparer.Ordinal))
        {
            if (For(candidates, address) is not { } entry) continue;
            var variant = variants.FindIndex(v => v.Attributes.Equals(entry.Attributes));
            if (variant < 0) variants.Add((entry.Attributes, [address.ToString()]));
            else variants[variant].Peers.Add(address.ToString());
        }
        if (variants.Count == 0) return (Template(candidates[0].Attributes, rendered), []);
        var peers = variants.SelectMany(v => v.Peers).Order().ToList();
        var template = Template(variants[0].Attributes, rendered);
        return variants.Count == 1 ? (template, peers) : (template with
        {
            Attributes = string.Join("; ", variants.Select(v => $"{(v.Attributes.ToString() is { Length: > 0 } a ? a : "no attributes")} to {string.Join(",", v.Peers)}")),
        }, peers);
    }

    private static BgpAdvertisementStatus Template(BgpRouteAttributes a, Dictionary<BgpRouteAttributes, BgpAdvertisementStatus> rendered)
    {
        if (!rendered.TryGetValue(a, out var template))
            rendered[a] = template = new BgpAdvertisementStatus
            {
                Prefix = "",
                Attributes = a.ToString(),
                Communities = a.Communities.Select(BgpCommunityText.Format).ToList(),
                LargeCommunities = a.LargeCommunities.Select(c => c.ToString()).ToList(),
                LocalPref = a.LocalPref,
                Med = a.Med,
            };
        return template;
    }

    /// <summary>One listening socket per address family in use; recreated when the MD5 keys or the port change.</summary>
    private void UpdateListeners()
    {
        var port = _settings.ListenPort;
        var keys = _settings.Peers.Where(p => p.Password.Length > 0).Select(p => (p.Address, p.Password)).ToList();
        var families = _settings.Peers.Select(p => p.Address.AddressFamily).Distinct().Order().ToList();
        // Passwords are part of the key only as a hash: this string is never logged.
        var key = $"{port}|{string.Join(",", families)}|{string.Join(",", keys.Select(k => $"{k.Address}={k.Password.GetHashCode()}"))}";
        if (key == _listenerKey) return;
        _listenerKey = key;
        foreach (var l in _listeners) Context.Stop(l);
        _listeners.Clear();
        if (port <= 0) return;
        foreach (var family in families)
        {
            var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
            _listeners.Add(Context.ActorOf(BgpListener.Props(new IPEndPoint(any, port), _sockets, keys, Self), $"listen-{family}-{++_generation}"));
        }
    }
}
