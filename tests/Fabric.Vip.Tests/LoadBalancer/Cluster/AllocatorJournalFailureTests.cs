using Fabric.Actors.Config;
using Microsoft.Data.Sqlite;

namespace Fabric.Vip.Tests.LoadBalancer.Cluster;

/// <summary>The journal fails under the allocator singleton: the allocator stops, is started again from the journal
/// with backoff once the journal is back, and the leading controller re-sends its services, so the request that
/// failed is served and nothing that was allocated moves.</summary>
public sealed class AllocatorJournalFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fabric-lb-journal-").FullName;
    private string Database => Path.Combine(_dir, "lb.db");

    [Fact]
    public async Task A_request_that_met_a_failed_journal_is_served_once_the_journal_is_back()
    {
        var journal = new PersistenceSettings { Provider = "sqlite", ConnectionString = $"Data Source={Database}" };
        await using var cluster = await LbClusterHarness.StartAsync(1, journal, _dir);
        var node = cluster.Nodes[0];
        cluster.Publish(AllocatorFailoverScenario.Config(["a", "b"]), 1);
        var before = await AllocatorFailoverScenario.AllAllocatedAsync(node, 2, TimeSpan.FromSeconds(30));

        // The journal table disappears: writing c's allocation fails, and so does every recovery until it is back.
        Sql("ALTER TABLE journal RENAME TO journal_away");
        cluster.Publish(AllocatorFailoverScenario.Config(["a", "b", "c"]), 2);
        await Task.Delay(1500);
        Assert.DoesNotContain("default/c", (await LbClusterHarness.ServicesAsync(node)).Keys);

        Sql("ALTER TABLE journal_away RENAME TO journal");
        var after = await AllocatorFailoverScenario.AllAllocatedAsync(node, 3, TimeSpan.FromSeconds(30));
        Assert.Equal(before["default/a"].Ips, after["default/a"].Ips);
        Assert.Equal(before["default/b"].Ips, after["default/b"].Ips);
        Assert.DoesNotContain(after["default/c"].Ips[0], before.Values.SelectMany(s => s.Ips));
    }

    private void Sql(string statement)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = statement;
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }
}
