using System.Text.Json;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Allocation;
using YamlDotNet.RepresentationModel;

namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>Reads MetalLB documents (the same YAML users give MetalLB) into a <see cref="LoadBalancerConfig"/>,
/// then checks what no single document can: overlapping pools, references to unknown pools, peers and community
/// aliases, aggregation lengths shorter than a pool's own prefixes.
/// Entry points: <see cref="FromExtraDocuments"/> for config files, <see cref="FromJson"/> for objects from the
/// Kubernetes API (each a whole object with apiVersion, kind, metadata, spec).</summary>
public static class LoadBalancerConfigReader
{
    public const string V1Beta1 = "metallb.io/v1beta1";
    public const string V1Beta2 = "metallb.io/v1beta2";

    public static LoadBalancerConfig FromExtraDocuments(IEnumerable<ExtraDocument> documents) => Read(DocumentsOf(documents));

    /// <summary>The MetalLB documents of a config file, before they are typed.</summary>
    public static IReadOnlyList<LoadBalancerDocument> DocumentsOf(IEnumerable<ExtraDocument> documents) => documents
        .Where(d => d.ApiVersion.StartsWith("metallb.io/", StringComparison.Ordinal) && d.Tree is YamlNode)
        .Select(d => new LoadBalancerDocument(d.ApiVersion, d.Kind, d.Name, DocNodeFromYaml.Convert((YamlNode)d.Tree, d.Location.File)))
        .ToList();

    /// <param name="origin">Names the source in diagnostics, e.g. "k8s"; each object is located as
    /// ORIGIN:kind/name since JSON carries no line numbers.</param>
    public static LoadBalancerConfig FromJson(IEnumerable<JsonElement> objects, string origin = "k8s")
    {
        var diagnostics = new List<ConfigDiagnostic>();
        var config = Read(DocumentsOf(objects, origin, diagnostics));
        return config with { Diagnostics = [.. diagnostics, .. config.Diagnostics] };
    }

    /// <summary>Objects from the Kubernetes API, before they are typed; objects without kind or name are reported
    /// in <paramref name="diagnostics"/> and left out.</summary>
    public static IReadOnlyList<LoadBalancerDocument> DocumentsOf(IEnumerable<JsonElement> objects, string origin, List<ConfigDiagnostic> diagnostics)
    {
        var documents = new List<LoadBalancerDocument>();
        foreach (var o in objects)
        {
            string? Get(JsonElement e, string key) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var apiVersion = Get(o, "apiVersion") ?? "";
            var kind = Get(o, "kind") ?? "";
            var name = o.ValueKind == JsonValueKind.Object && o.TryGetProperty("metadata", out var meta) ? Get(meta, "name") ?? "" : "";
            var location = LocationOf(origin, kind, name);
            if (kind.Length == 0 || name.Length == 0)
            {
                diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, location, "", "object needs kind and metadata.name"));
                continue;
            }
            documents.Add(new LoadBalancerDocument(apiVersion, kind, name, DocNodeFromJson.Convert(o, location)));
        }
        return documents;
    }

    /// <summary>Where an API object is, in diagnostics: ORIGIN:kind/name (JSON has no line numbers).</summary>
    public static SourceLocation LocationOf(string origin, string kind, string name) => new($"{origin}:{kind.ToLowerInvariant()}/{name}", 0, 0);

    public static LoadBalancerConfig Read(IEnumerable<LoadBalancerDocument> documents)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        var r = new DocReader(diagnostics);
        var pools = new List<IpAddressPool>();
        var l2 = new List<L2Advertisement>();
        var bgpAds = new List<(BgpAdvertisement Ad, DocNode Root, string At)>();
        var peers = new List<BgpPeer>();
        var communities = new List<CommunityAliases>();
        var seen = new HashSet<(string, string)>();
        foreach (var d in documents)
        {
            var at = $"{d.Kind}({d.Name})";
            if (!seen.Add((d.Kind, d.Name))) { r.Error(d.Root, at, $"{d.Kind} {d.Name} is defined twice"); continue; }
            if (!VersionOk(r, d, at)) continue;
            switch (d.Kind)
            {
                case "IPAddressPool": pools.Add(IpAddressPoolReader.Read(r, d.Name, d.Root, at)); break;
                case "L2Advertisement": l2.Add(L2AdvertisementReader.Read(r, d.Name, d.Root, at)); break;
                case "BGPAdvertisement": bgpAds.Add((BgpAdvertisementReader.Read(r, d.Name, d.Root, at), d.Root, at)); break;
                case "BGPPeer": if (BgpPeerReader.Read(r, d.Name, d.Root, at) is { } peer) peers.Add(peer); break;
                case "Community": communities.Add(CommunityReader.Read(r, d.Name, d.Root, at)); break;
                default: r.Warning(d.Root, at, $"kind {d.Kind} is not used by Fabric's load balancer; ignored"); break;
            }
        }
        CheckPoolOverlaps(r, pools);
        var poolNames = pools.Select(p => p.Name).ToHashSet();
        foreach (var ad in l2) CheckPoolRefs(r, ad.Location, $"L2Advertisement({ad.Name}).spec.ipAddressPools", ad.IpAddressPools, poolNames);
        var peerNames = peers.Select(p => p.Name).ToHashSet();
        var aliases = communities.SelectMany(c => c.Values).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.First().Value);
        var resolved = new List<BgpAdvertisement>();
        foreach (var (ad, root, at) in bgpAds)
        {
            CheckPoolRefs(r, ad.Location, $"{at}.spec.ipAddressPools", ad.IpAddressPools, poolNames);
            foreach (var peer in ad.Peers.Where(p => !peerNames.Contains(p)))
                r.Error(root, $"{at}.spec.peers", $"no BGPPeer named {peer}");
            CheckAggregation(r, root, at, ad, pools);
            resolved.Add(ad with { Communities = ResolveCommunities(r, root, at, ad.Communities, aliases) });
        }
        return new LoadBalancerConfig
        {
            Pools = pools, L2Advertisements = l2, BgpAdvertisements = resolved, BgpPeers = peers, Communities = communities,
            Diagnostics = diagnostics,
        };
    }

    private static bool VersionOk(DocReader r, LoadBalancerDocument d, string at)
    {
        var ok = d.Kind == "BGPPeer" ? d.ApiVersion is V1Beta2 or V1Beta1 : d.ApiVersion == V1Beta1 || d.Kind is not ("IPAddressPool" or "L2Advertisement" or "BGPAdvertisement" or "Community");
        if (!ok) r.Error(d.Root, at, $"apiVersion {d.ApiVersion} is not supported for {d.Kind}; use {(d.Kind == "BGPPeer" ? V1Beta2 : V1Beta1)}");
        return ok;
    }

    private static void CheckPoolOverlaps(DocReader r, List<IpAddressPool> pools)
    {
        for (var i = 0; i < pools.Count; i++)
        for (var j = 0; j < i; j++)
        foreach (var mine in pools[i].Ranges)
        foreach (var theirs in pools[j].Ranges.Where(mine.Overlaps))
        {
            var node = new DocNode { Kind = DocNodeKind.Null, Location = pools[i].Location ?? new SourceLocation("", 0, 0) };
            var index = pools[i].Ranges.ToList().IndexOf(mine);
            r.Error(node, $"IPAddressPool({pools[i].Name}).spec.addresses[{index}]",
                $"{pools[i].Addresses[index]} overlaps {theirs} of IPAddressPool {pools[j].Name}");
        }
    }

    private static void CheckPoolRefs(DocReader r, SourceLocation? location, string path, IReadOnlyList<string> names, HashSet<string> known)
    {
        foreach (var name in names.Where(n => !known.Contains(n)))
            r.Error(new DocNode { Kind = DocNodeKind.Null, Location = location ?? new SourceLocation("", 0, 0) }, path, $"no IPAddressPool named {name}");
    }

    private static void CheckAggregation(DocReader r, DocNode root, string at, BgpAdvertisement ad, List<IpAddressPool> pools)
    {
        foreach (var pool in pools.Where(ad.SelectsPool))
        for (var i = 0; i < pool.Ranges.Count; i++)
        {
            var range = pool.Ranges[i];
            var (length, field) = range.Family == IpFamily.IPv4 ? (ad.AggregationLength, "aggregationLength") : (ad.AggregationLengthV6, "aggregationLengthV6");
            var specific = range.MostSpecificPrefixLength();
            if (specific > length)
                r.Error(root[("spec")]?[field] ?? root, $"{at}.spec.{field}",
                    $"invalid aggregation length {length}: {pool.Addresses[i]} of IPAddressPool {pool.Name} needs prefixes as long as /{specific}");
        }
    }

    private static IReadOnlyList<string> ResolveCommunities(DocReader r, DocNode root, string at, IReadOnlyList<string> written, Dictionary<string, string> aliases)
    {
        var result = new List<string>();
        var nodes = r.List(root["spec"]?["communities"], $"{at}.spec.communities");
        for (var i = 0; i < written.Count; i++)
        {
            var text = written[i];
            var node = i < nodes.Count ? nodes[i] : root;
            var path = $"{at}.spec.communities[{i}]";
            if (CommunityValue.LooksLiteral(text))
            {
                if (CommunityValue.IsLiteral(text, out var error)) result.Add(text);
                else r.Error(node, path, error);
            }
            else if (aliases.TryGetValue(text, out var value)) result.Add(value);
            else r.Error(node, path, $"unknown community alias {text}: define it in a Community document or write asn:value");
        }
        return result;
    }
}
