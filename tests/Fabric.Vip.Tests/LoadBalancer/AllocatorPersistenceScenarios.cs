using System.Diagnostics;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Allocation;
using static Fabric.Vip.LoadBalancer.Allocation.AllocatorMessages;
using static Fabric.Vip.Tests.LoadBalancer.LbTestData;

namespace Fabric.Vip.Tests.LoadBalancer;

/// <summary>The persistence scenarios, run against whichever journal the test class provides.</summary>
internal static class AllocatorPersistenceScenarios
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<(ActorSystem, IActorRef)> StartAsync(PersistenceSettings settings, string stateDir, int snapshotEvery = 10)
    {
        var system = ActorSystem.Create("lbtest", AllocatorPersistence.For(settings, stateDir));
        var allocator = system.ActorOf(AllocatorActor.Props(ActorRefs.Nobody, snapshotEvery), "allocator");
        await allocator.Ask<AllocationsReport>(GetAllocations.Instance, Timeout); // recovery done
        return (system, allocator);
    }

    /// <summary>Allocate, restart the ActorSystem, and find the same allocations before any source re-sends;
    /// then the sources' snapshot confirms them without moving anyone.</summary>
    public static async Task RestartKeepsAllocationsAsync(PersistenceSettings settings, string stateDir)
    {
        var services = Enumerable.Range(0, 40).Select(i => Svc($"s{i}", key: i % 3 == 0 ? "k" : null, port: 1000 + i)).ToList();
        var (system, allocator) = await StartAsync(settings, stateDir);
        await allocator.Ask<PoolStatusReport>(new ConfigurePools([Pool("a", "192.0.2.0/27")]), Timeout);
        foreach (var s in services) await allocator.Ask<ServiceAllocation>(new ServiceSourceMessages.Upserted("t", s), Timeout);
        await allocator.Ask<ServiceAllocation>(new ServiceSourceMessages.Deleted("t", "default", "s5"), Timeout);
        var before = Render(await allocator.Ask<AllocationsReport>(GetAllocations.Instance, Timeout));
        Assert.Contains("default/s39=", before);
        await system.Terminate();

        (system, allocator) = await StartAsync(settings, stateDir);
        try
        {
            Assert.Equal(before, Render(await allocator.Ask<AllocationsReport>(GetAllocations.Instance, Timeout)));
            var pools = await allocator.Ask<PoolStatusReport>(GetPoolStatus.Instance, Timeout);
            Assert.Equal("a", Assert.Single(pools.Pools).Name);
            // Sources re-send in another order; nobody moves, the deleted one stays deleted.
            var resent = services.Where(s => s.Name != "s5").Reverse().ToList();
            await allocator.Ask<AllocationsReport>(new ServiceSourceMessages.Snapshot("t", resent), Timeout);
            Assert.Equal(before, Render(await allocator.Ask<AllocationsReport>(GetAllocations.Instance, Timeout)));
        }
        finally { await system.Terminate(); }
    }

    /// <summary>Start Fabric.LbHost, let it acknowledge allocations, kill -9 it mid-stream, recover here: every
    /// acknowledged allocation is there with the same address and no address is held by services that may not share.</summary>
    public static async Task KillMidStreamLosesNothingAsync(PersistenceSettings settings, string stateDir)
    {
        var host = Path.Combine(AppContext.BaseDirectory.Replace("Fabric.Vip.Tests", "Fabric.LbHost"), "Fabric.LbHost.dll");
        Assert.True(File.Exists(host), $"{host} not built");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { host, settings.Provider, settings.ConnectionString!, "100000" }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var acknowledged = new Dictionary<string, string>();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            while (acknowledged.Count < 300 && stopwatch.Elapsed < TimeSpan.FromSeconds(40))
            {
                var line = await process.StandardOutput.ReadLineAsync();
                if (line is null) break;
                var parts = line.Split(' ');
                if (parts[0] == "ACK") acknowledged[parts[1]] = parts[2];
            }
        }
        finally { process.Kill(entireProcessTree: true); } // SIGKILL: no shutdown hooks, no flush
        await process.WaitForExitAsync();
        Assert.True(acknowledged.Count >= 300, $"host acknowledged only {acknowledged.Count}: {await process.StandardError.ReadToEndAsync()}");

        var (system, allocator) = await StartAsync(settings, stateDir);
        try
        {
            var recovered = (await allocator.Ask<AllocationsReport>(GetAllocations.Instance, Timeout)).Allocations
                .ToDictionary(a => a.Service, a => string.Join(",", a.Ips));
            foreach (var (service, ips) in acknowledged)
                Assert.True(recovered.TryGetValue(service, out var got) && got == ips, $"{service} acknowledged {ips}, recovered {got}");
            // Only the "shared" services (every 4th, distinct ports) may hold one address together.
            foreach (var group in recovered.GroupBy(kv => kv.Value).Where(g => g.Count() > 1))
                Assert.All(group, kv => Assert.True(int.Parse(kv.Key.Split('-')[1]) % 4 == 0, $"{group.Key} doubled: {string.Join(" ", group.Select(g => g.Key))}"));
        }
        finally { await system.Terminate(); }
    }

    private static string Render(AllocationsReport report) =>
        string.Join(" ", report.Allocations.OrderBy(a => a.Service, StringComparer.Ordinal).Select(a => $"{a.Service}={string.Join(",", a.Ips)}"));
}
