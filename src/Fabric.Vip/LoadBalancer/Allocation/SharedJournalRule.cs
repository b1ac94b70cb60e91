using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>The allocator is one actor for the whole cluster and moves to another node when its node leaves or fails;
/// it then recovers from the journal. A journal each node keeps for itself (the default SQLite file) would give the
/// moved allocator a stale view, and it could hand an address that is in use to another service. So a node that names
/// other nodes in fabric.cluster.seeds and uses the load balancer must name a journal every node shares: PostgreSQL,
/// or, when all nodes run on one machine (a lab, tests), an SQLite file given by connectionString that they all use.
/// The default, a file in each node's own stateDir, is refused there. A cluster of one keeps it.</summary>
public static class SharedJournalRule
{
    /// <returns>Null when the config is fine; otherwise the error, located at fabric.persistence (or fabric.cluster).</returns>
    public static ConfigDiagnostic? Check(MachineConfig config)
    {
        var fabric = config.Fabric;
        if (fabric.Cluster is not { HasOtherNodes: true } cluster) return null;
        if (fabric.Persistence is { Provider: "postgresql" or "postgres" }) return null;
        // An SQLite file named explicitly is taken as the operator's word that every node opens that same file.
        if (fabric.Persistence is { Provider: "sqlite", ConnectionString: { Length: > 0 } }) return null;
        if (UseOf(config) is not { } use) return null;
        var location = fabric.Persistence?.Location ?? cluster.Location ?? use.Location;
        var nodes = cluster.Seeds.Append(cluster.Listen).Distinct().Count();
        return new ConfigDiagnostic(DiagnosticSeverity.Error, location, "fabric.persistence",
            $"the load balancer ({use.What}) runs one allocator for the {nodes} nodes of cluster {cluster.Name}, which moves " +
            "to another node when its node fails; its journal must be one every node reaches: set provider: postgresql and " +
            "a connectionString (or, only when every node runs on this one machine, provider: sqlite with a connectionString " +
            "naming one file for all). Each node's own SQLite file would give a moved allocator a stale view, and it could " +
            "hand one address to two services");
    }

    private sealed record Use(string What, SourceLocation Location);

    private static Use? UseOf(MachineConfig config)
    {
        if (config.Fabric.LoadBalancer?.Kubernetes is { } k8s)
            return new Use("fabric.loadBalancer.kubernetes", k8s.Location ?? new SourceLocation("", 0, 0));
        var document = config.ExtraDocuments.FirstOrDefault(d =>
            (d.ApiVersion.StartsWith("metallb.io/", StringComparison.Ordinal) && d.Kind == "IPAddressPool")
            || (d.ApiVersion == Sources.Config.ConfigServices.ApiVersion && d.Kind == Sources.Config.ConfigServices.Kind));
        return document is null ? null : new Use($"{document.Kind} {document.Name} at {document.Location}", document.Location);
    }
}
