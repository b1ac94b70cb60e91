namespace Fabric.Actors.Config;

/// <summary>The top-level `fabric:` key: Fabric's own settings, unknown keys rejected.</summary>
internal static class FabricSettingsReader
{
    public static readonly string[] Keys = ["api", "stateDir", "etcRoot", "nodeName", "nodeLabels", "cluster", "persistence", "bgp", "loadBalancer"];
    private static readonly string[] ClusterKeys = ["name", "listen", "seeds", "lease", "announce"];
    private static readonly string[] LeaseKeys = ["duration", "renewInterval", "driftMargin"];
    private static readonly string[] PersistenceKeys = ["provider", "connectionString"];
    private static readonly string[] LoadBalancerKeys = ["kubernetes"];
    private static readonly string[] KubernetesKeys = ["kubeconfig", "context", "inCluster", "loadBalancerClass", "metallbObjects", "metallbNamespace"];

    public static FabricSettings Read(YNode node)
    {
        var settings = new FabricSettings();
        if (node.AsMap(Keys) is not { } fabric) return settings;

        if (fabric.Map("api", ["listen"])?["listen"] is { } listen && HostPort(listen) is { } apiListen)
            settings = settings with { ApiListen = apiListen };
        if (AbsolutePath(fabric, "stateDir") is { } stateDir) settings = settings with { StateDir = stateDir };
        if (AbsolutePath(fabric, "etcRoot") is { } etcRoot) settings = settings with { EtcRoot = etcRoot };
        if (fabric["nodeName"] is { } nodeNameNode && nodeNameNode.AsString() is { } nodeName)
        {
            if (ValueRules.HostnameProblem(nodeName, "node name") is { } problem) nodeNameNode.Error(problem);
            else settings = settings with { NodeName = nodeName };
        }
        if (fabric.Map("nodeLabels", null) is { } labels) settings = settings with { NodeLabels = NodeLabels(labels) };
        if (fabric.Map("cluster", ClusterKeys) is { } cluster) settings = settings with { Cluster = Cluster(cluster) };
        if (fabric.Map("persistence", PersistenceKeys) is { } persistence) settings = settings with { Persistence = Persistence(persistence) };
        if (fabric.Map("bgp", BgpSettingsReader.Keys) is { } bgp) settings = settings with { Bgp = BgpSettingsReader.Read(bgp) };
        if (fabric.Map("loadBalancer", LoadBalancerKeys) is { } lb) settings = settings with { LoadBalancer = LoadBalancer(lb) };
        return settings;
    }

    private static Dictionary<string, string> NodeLabels(YMap labels)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in labels.Keys)
        {
            // A label with no value is written `key: ""`; `key:` alone reads as absent and would silently vanish.
            if (labels[key] is not { } node) { labels.Error($"label {key} has no value; write {key}: \"\" for an empty one"); continue; }
            if (node.AsString() is { } value) result[key] = value;
        }
        return result;
    }

    private static string? HostPort(YNode node)
    {
        if (node.AsString() is not { } text) return null;
        if (ValueRules.HostPortProblem(text) is not { } problem) return text;
        node.Error(problem);
        return null;
    }

    private static string? AbsolutePath(YMap map, string key)
    {
        if (map[key] is not { } node || node.AsString() is not { } path) return null;
        if (path.StartsWith('/')) return path;
        node.Error($"must be an absolute path (starting with /), got \"{path}\"");
        return null;
    }

    private static ClusterSettings? Cluster(YMap cluster)
    {
        var defaults = new ClusterSettings { Name = "", Listen = "" };
        var name = cluster.String("name");
        if (cluster["name"] is null || name is "")
            (cluster["name"] ?? cluster.Self).Error("cluster name is required and must not be empty; every node of one cluster uses the same name");
        var listenNode = cluster["listen"];
        if (listenNode is null) cluster.Error("listen is required: the host:port this node's cluster transport binds, e.g. 192.0.2.11:4053");
        var listen = listenNode is { } l ? HostPort(l) : null;
        var seeds = cluster.List("seeds", "host:port strings").Select(HostPort).OfType<string>().ToList();

        var lease = cluster.Map("lease", LeaseKeys);
        var duration = lease?.Duration("duration") ?? defaults.LeaseDuration;
        var renew = lease?.Duration("renewInterval") ?? defaults.LeaseRenewInterval;
        var drift = lease?["driftMargin"]?.AsDouble(0, 0.5, "driftMargin (a fraction such as 0.05)") ?? defaults.LeaseDriftMargin;
        if (lease is not null && duration <= renew)
            (lease["renewInterval"] ?? lease["duration"] ?? lease.Self).Error(
                $"renewInterval {GoDuration.Format(renew)} must be shorter than the lease duration {GoDuration.Format(duration)}, or the lease lapses before it is renewed");
        var refreshNode = cluster.Map("announce", ["refresh"])?["refresh"];
        var refresh = refreshNode?.AsDuration() ?? defaults.AnnounceRefresh;
        if (refresh <= TimeSpan.Zero)
        {
            refreshNode!.Value.Error("refresh must be longer than 0s: it is how often an owned VIP is re-announced");
            refresh = defaults.AnnounceRefresh;
        }

        if (string.IsNullOrEmpty(name) || listen is null) return null;
        return new ClusterSettings
        {
            Name = name, Listen = listen, Seeds = seeds,
            LeaseDuration = duration, LeaseRenewInterval = renew, LeaseDriftMargin = drift, AnnounceRefresh = refresh,
            Location = cluster.Location,
        };
    }

    private static PersistenceSettings Persistence(YMap persistence)
    {
        var provider = persistence.String("provider") ?? "sqlite";
        if (provider is not ("sqlite" or "postgresql"))
        {
            persistence["provider"]!.Value.Error($"unknown provider \"{provider}\" (valid: sqlite, postgresql)");
            provider = "sqlite";
        }
        var connection = persistence.String("connectionString");
        if (provider == "postgresql" && string.IsNullOrEmpty(connection))
            persistence.Error("connectionString is required when provider is postgresql");
        return new PersistenceSettings { Provider = provider, ConnectionString = connection, Location = persistence.Location };
    }

    private static LoadBalancerSettings LoadBalancer(YMap lb)
    {
        if (lb.Map("kubernetes", KubernetesKeys) is not { } k8s) return new LoadBalancerSettings();
        var kubeconfig = AbsolutePath(k8s, "kubeconfig");
        var context = k8s.String("context");
        var inCluster = k8s.Bool("inCluster") ?? false;
        var lbClass = k8s.String("loadBalancerClass");
        var metallbObjects = k8s.Bool("metallbObjects") ?? true;
        var metallbNamespace = MetallbNamespace(k8s);
        if (k8s.Has("kubeconfig") && inCluster)
            k8s["inCluster"]!.Value.Error("inCluster: true and kubeconfig exclude each other: use the pod's service account or a kubeconfig file, not both");
        else if (!k8s.Has("kubeconfig") && !inCluster)
            k8s.Error("say how to reach the API server: kubeconfig: /path/to/kubeconfig, or inCluster: true when Fabric runs in a pod");
        if (context is not null && !k8s.Has("kubeconfig"))
            k8s["context"]!.Value.Error("context names a context of the kubeconfig file; it needs kubeconfig");
        if (lbClass is "") k8s["loadBalancerClass"]!.Value.Error("loadBalancerClass must not be empty; leave it out to serve services without a class");
        return new LoadBalancerSettings
        {
            Kubernetes = new LoadBalancerKubernetesSettings
            {
                Kubeconfig = kubeconfig, Context = string.IsNullOrEmpty(context) ? null : context, InCluster = inCluster,
                LoadBalancerClass = string.IsNullOrEmpty(lbClass) ? null : lbClass, MetallbObjects = metallbObjects,
                MetallbNamespace = metallbNamespace, Location = k8s.Location,
            },
        };
    }

    private static string MetallbNamespace(YMap k8s)
    {
        var fallback = new LoadBalancerKubernetesSettings().MetallbNamespace;
        if (k8s["metallbNamespace"] is not { } node || node.AsString() is not { } ns) return fallback;
        if (ValueRules.NamespaceProblem(ns) is not { } problem) return ns;
        node.Error($"{problem}; it names the namespace MetalLB runs in, e.g. metallb-system");
        return fallback;
    }
}
