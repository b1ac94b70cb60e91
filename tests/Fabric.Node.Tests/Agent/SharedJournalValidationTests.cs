using Fabric.Node.Agent;

namespace Fabric.Node.Tests.Agent;

/// <summary>A load balancer in a cluster of several nodes must journal to a store every node shares: the allocator
/// moves between nodes, and a per-node SQLite file would give it a stale view. `fabric validate`, `fabric apply` and
/// the agent's start all refuse such a config, pointing at fabric.persistence. An SQLite file named explicitly is
/// accepted: on one machine (a lab) every node can open the same file.</summary>
public sealed class SharedJournalValidationTests
{
    private const string Pool = """
        ---
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata: {name: public, namespace: metallb-system}
        spec:
          addresses: [198.51.100.10-198.51.100.12]
        """;

    private static string Node(string fabricExtra, string seeds = "[\"192.0.2.11:4053\", \"192.0.2.12:4053\"]") => $$"""
        version: v1alpha1
        machine:
          network:
            hostname: lb-1
        fabric:
          cluster:
            name: dc1
            listen: "192.0.2.11:4053"
            seeds: {{seeds}}
        {{fabricExtra}}
        """;

    private static List<string> Errors(string yaml) =>
        FullConfigValidation.Parse(yaml, "node.yaml").Errors.Select(e => e.ToString()).ToList();

    [Fact]
    public void Pools_in_a_cluster_of_several_nodes_without_a_shared_journal_are_refused_at_the_cluster()
    {
        var error = Assert.Single(Errors(Node("") + "\n" + Pool));
        Assert.StartsWith("node.yaml:7:5: fabric.persistence: the load balancer (IPAddressPool public at node.yaml:", error);
        Assert.Contains("runs one allocator for the 2 nodes of cluster dc1", error);
        Assert.Contains("set provider: postgresql", error);
    }

    [Fact]
    public void A_sqlite_journal_in_each_nodes_state_dir_is_refused_where_it_is_written()
    {
        var error = Assert.Single(Errors(Node("  persistence: {provider: sqlite}") + "\n" + Pool));
        Assert.StartsWith("node.yaml:10:16: fabric.persistence: the load balancer (IPAddressPool public", error);
    }

    [Fact]
    public void The_kubernetes_source_counts_as_using_the_load_balancer()
    {
        var error = Assert.Single(Errors(Node("  loadBalancer: {kubernetes: {inCluster: true}}")));
        Assert.Contains("fabric.persistence: the load balancer (fabric.loadBalancer.kubernetes)", error);
    }

    [Theory]
    [InlineData("  persistence: {provider: postgresql, connectionString: \"Host=192.0.2.5;Username=fabric\"}", "[\"192.0.2.11:4053\", \"192.0.2.12:4053\"]", true)]
    [InlineData("  persistence: {provider: sqlite, connectionString: \"Data Source=/srv/lab/lb-allocator.db\"}", "[\"192.0.2.11:4053\", \"192.0.2.12:4053\"]", true)] // one file for all: a lab on one machine
    [InlineData("", "[\"192.0.2.11:4053\"]", true)] // a cluster of one keeps its SQLite file
    [InlineData("", "[\"192.0.2.11:4053\", \"192.0.2.12:4053\"]", false)] // no load balancer: nothing to journal
    public void Shared_journal_cluster_of_one_or_no_load_balancer_are_fine(string fabricExtra, string seeds, bool withPool) =>
        Assert.Empty(Errors(Node(fabricExtra, seeds) + (withPool ? "\n" + Pool : "")));
}
