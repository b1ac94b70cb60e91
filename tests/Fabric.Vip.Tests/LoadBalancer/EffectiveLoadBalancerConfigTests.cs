using System.Text.Json;
using System.Text.Json.Nodes;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Node;
using Fabric.Vip.Tests.LoadBalancer.Sources.ApiServer;

namespace Fabric.Vip.Tests.LoadBalancer;

/// <summary>The node's one load balancer config: the file's MetalLB documents plus the API's objects, read as one set;
/// a bad API set is never applied in part.</summary>
public sealed class EffectiveLoadBalancerConfigTests
{
    private static IReadOnlyList<ExtraDocument> File(string pool = "198.51.100.0/28")
    {
        var result = ConfigLoader.Parse($$"""
            version: v1alpha1
            machine:
              network: {hostname: node0}
            ---
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: public, namespace: metallb-system}
            spec:
              addresses: [{{pool}}]
            """, "node0.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Config!.ExtraDocuments;
    }

    private static JsonElement Json(JsonObject o) => JsonDocument.Parse(o.ToJsonString()).RootElement.Clone();

    private static JsonObject With(JsonObject o, string path, JsonNode value)
    {
        var parts = path.Split('.');
        JsonNode node = o;
        foreach (var p in parts[..^1]) node = node[p]!;
        node[parts[^1]] = value;
        return o;
    }

    [Fact]
    public void Pools_and_advertisements_of_the_API_join_the_files_and_each_object_says_where_it_came_from()
    {
        var config = new EffectiveLoadBalancerConfig();
        Assert.True(config.SetFile(File(), 1));
        Assert.Equal(["public"], config.Current.Pools.Select(p => p.Name));

        Assert.True(config.SetApi([Json(KubeObjects.IpAddressPool("extra", "203.0.113.0/28")), Json(KubeObjects.L2Advertisement("l2", "public"))]));
        Assert.Equal(["public", "extra"], config.Current.Pools.Select(p => p.Name));
        Assert.Equal(["l2"], config.Current.L2Advertisements.Select(a => a.Name));
        Assert.Empty(config.ApiErrors);
        Assert.Contains("IPAddressPool/public (node0.yaml:", config.Objects[0]);
        Assert.Contains("IPAddressPool/extra (k8s)", config.Objects);
        Assert.Equal(2, config.Version);
    }

    [Fact]
    public void The_same_object_in_the_file_and_the_API_is_an_error_naming_both_places_and_the_API_set_is_not_applied()
    {
        var config = new EffectiveLoadBalancerConfig();
        config.SetFile(File(), 1);
        Assert.False(config.SetApi([Json(KubeObjects.IpAddressPool("public", "203.0.113.0/28")), Json(KubeObjects.IpAddressPool("extra", "192.0.2.0/28"))]));

        var error = Assert.Single(config.ApiErrors).ToString();
        Assert.StartsWith("k8s:ipaddresspool/public: IPAddressPool(public): ", error);
        Assert.Contains("both in the config file (node0.yaml:", error);
        Assert.Contains("and in the Kubernetes API (k8s:ipaddresspool/public)", error);
        // Nothing of the API's set is in use, not even the good pool.
        Assert.Equal(["public"], config.Current.Pools.Select(p => p.Name));
        Assert.Equal("198.51.100.0/28", config.Current.Pools[0].Addresses[0]);
    }

    [Fact]
    public void An_invalid_API_set_keeps_the_last_good_one_with_errors_naming_object_and_field()
    {
        var config = new EffectiveLoadBalancerConfig();
        config.SetFile(File(), 1);
        config.SetApi([Json(KubeObjects.IpAddressPool("extra", "203.0.113.0/28"))]);
        var good = config.Current;

        // Overlapping pools, a bad CIDR, an unknown pool reference, an unsupported BGPPeer field: all reported, none applied.
        Assert.False(config.SetApi(
        [
            Json(KubeObjects.IpAddressPool("extra", "203.0.113.0/28")),
            Json(KubeObjects.IpAddressPool("clash", "198.51.100.8/29")),
            Json(KubeObjects.IpAddressPool("broken", "203.0.113.300/28")),
            Json(KubeObjects.L2Advertisement("l2", "nowhere")),
            Json(With(KubeObjects.BgpPeer("tor", "203.0.113.1", 64500), "spec.bfdProfile", "fast")),
        ]));
        Assert.Same(good, config.Current);
        var errors = config.ApiErrors.Select(d => d.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("k8s:ipaddresspool/clash: IPAddressPool(clash).spec.addresses[0]: ") && e.Contains("overlaps"));
        Assert.Contains(errors, e => e.StartsWith("k8s:ipaddresspool/broken: IPAddressPool(broken).spec.addresses[0]: "));
        Assert.Contains(errors, e => e.StartsWith("k8s:l2advertisement/l2: ") && e.Contains("no IPAddressPool named nowhere"));
        Assert.Contains(errors, e => e.StartsWith("k8s:bgppeer/tor: BGPPeer(tor).spec.bfdProfile: "));

        // Fixed: applied, errors gone.
        Assert.True(config.SetApi([Json(KubeObjects.IpAddressPool("extra", "203.0.113.0/28")), Json(KubeObjects.IpAddressPool("more", "192.0.2.0/28"))]));
        Assert.Empty(config.ApiErrors);
        Assert.Equal(["public", "extra", "more"], config.Current.Pools.Select(p => p.Name));
    }

    [Fact]
    public void A_new_file_runs_with_the_last_good_API_set_while_the_current_one_is_invalid()
    {
        var config = new EffectiveLoadBalancerConfig();
        config.SetFile(File(), 1);
        config.SetApi([Json(KubeObjects.IpAddressPool("extra", "203.0.113.0/28"))]);
        config.SetApi([Json(KubeObjects.IpAddressPool("extra", "198.51.100.0/28"))]); // overlaps the file's pool

        // The file changes and still clashes with the API's current set: the new file runs with the last good set.
        Assert.True(config.SetFile(File("198.51.100.0/27"), 2));
        Assert.Equal(["198.51.100.0/27", "203.0.113.0/28"], config.Current.Pools.Select(p => p.Addresses[0]));
        Assert.Contains(config.ApiErrors, d => d.ToString().StartsWith("k8s:ipaddresspool/extra: IPAddressPool(extra).spec.addresses[0]: "));

        // A file the API's current set fits: the current set is applied.
        Assert.True(config.SetFile(File("192.0.2.0/28"), 3));
        Assert.Equal(["192.0.2.0/28", "198.51.100.0/28"], config.Current.Pools.Select(p => p.Addresses[0]));
        Assert.Empty(config.ApiErrors);
    }

    [Fact]
    public void A_relist_of_the_same_objects_changes_nothing_and_stopping_the_API_leaves_the_file()
    {
        var config = new EffectiveLoadBalancerConfig();
        config.SetFile(File(), 1);
        var pool = KubeObjects.IpAddressPool("extra", "203.0.113.0/28");
        Assert.True(config.SetApi([Json(pool)]));
        var version = config.Version;
        pool["metadata"]!["resourceVersion"] = "4711";
        Assert.False(config.SetApi([Json(pool)]));
        Assert.Equal(version, config.Version);

        Assert.True(config.StopReadingApi());
        Assert.Equal(["public"], config.Current.Pools.Select(p => p.Name));
        Assert.False(config.ReadsApi);
    }
}
