using Fabric.Actors.Config;
using Xunit.Abstractions;

namespace Fabric.Vip.Tests.LoadBalancer;

public sealed class SqliteAllocatorPersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fabric-lb-").FullName;
    private PersistenceSettings Settings => new() { Provider = "sqlite", ConnectionString = $"Data Source={Path.Combine(_dir, "lb.db")}" };

    [Fact]
    public Task Restart_keeps_allocations() => AllocatorPersistenceScenarios.RestartKeepsAllocationsAsync(Settings, _dir);

    [Fact]
    public Task Kill_9_mid_stream_loses_no_acknowledged_allocation() => AllocatorPersistenceScenarios.KillMidStreamLosesNothingAsync(Settings, _dir);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }
}

public sealed class PostgresAllocatorPersistenceTests(PostgresServer server, ITestOutputHelper output) : IClassFixture<PostgresServer>
{
    private PersistenceSettings? Settings()
    {
        if (server.Missing is null) return new PersistenceSettings { Provider = "postgresql", ConnectionString = server.CreateDatabase() };
        output.WriteLine($"SKIPPED: {server.Missing}");
        return null;
    }

    [Fact]
    public async Task Restart_keeps_allocations()
    {
        if (Settings() is { } s) await AllocatorPersistenceScenarios.RestartKeepsAllocationsAsync(s, Path.GetTempPath());
    }

    [Fact]
    public async Task Kill_9_mid_stream_loses_no_acknowledged_allocation()
    {
        if (Settings() is { } s) await AllocatorPersistenceScenarios.KillMidStreamLosesNothingAsync(s, Path.GetTempPath());
    }
}
