using Fabric.Actors.Config;
using Xunit.Abstractions;
using static Fabric.Vip.Tests.LoadBalancer.Cluster.AllocatorFailoverScenario;

namespace Fabric.Vip.Tests.LoadBalancer.Cluster;

/// <summary>The allocator singleton moving between nodes mid-stream, on one SQLite file the in-process nodes share
/// (standing in for the shared journal a real cluster needs).</summary>
public sealed class SqliteAllocatorFailoverTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fabric-lb-failover-").FullName;
    private PersistenceSettings Journal => new() { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(_dir, "lb.db")}" };

    [Theory]
    [InlineData(Departure.Crash)]
    [InlineData(Departure.Leave)]
    public Task Allocator_moves_mid_stream_without_doubling_or_losing_an_address(Departure departure) =>
        RunAsync(Journal, _dir, departure, output);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }
}

/// <summary>The same on a real PostgreSQL server, the journal a multi-machine cluster is required to use.</summary>
public sealed class PostgresAllocatorFailoverTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Allocator_moves_after_a_crash_mid_stream_without_doubling_or_losing_an_address()
    {
        if (server.Missing is not null)
        {
            output.WriteLine($"SKIPPED: {server.Missing}");
            return;
        }
        var journal = new PersistenceSettings { Provider = "postgresql", ConnectionString = server.CreateDatabase() };
        await RunAsync(journal, Path.GetTempPath(), Departure.Crash, output);
    }
}
