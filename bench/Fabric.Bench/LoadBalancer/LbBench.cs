using System.Diagnostics;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Config;
using static Fabric.Vip.LoadBalancer.Allocation.AllocatorMessages;

namespace Fabric.Bench.LoadBalancer;

/// <summary>fabric-bench lb [--count N] [--provider sqlite|postgresql] [--connection STRING] [--snapshot-every N]
/// [--in-flight N]: allocates N services one Upserted at a time (up to --in-flight awaiting their journal write),
/// then N more as one source Snapshot, reports times and the journal size; then restarts the ActorSystem and
/// times recovery until the first answer. Figures: bench/lb/README.md.</summary>
public static class LbBench
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.FirstOrDefault() == "lb") args = args[1..];
        string Arg(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var count = int.Parse(Arg("--count", "10000"));
        var provider = Arg("--provider", "sqlite");
        var snapshotEvery = int.Parse(Arg("--snapshot-every", "1000"));
        var inFlight = int.Parse(Arg("--in-flight", "16"));
        var dir = Directory.CreateTempSubdirectory("fabric-lb-bench-").FullName;
        var settings = new PersistenceSettings
        {
            Provider = provider,
            ConnectionString = provider == "sqlite" ? $"Data Source={Path.Combine(dir, AllocatorPersistence.SqliteFileName)}" : Arg("--connection", ""),
        };
        try
        {
            var (system, allocator) = await StartAsync(settings, dir, snapshotEvery);
            var pool = new IpAddressPool { Name = "bench", Addresses = ["198.18.0.0/15"], Ranges = [Range("198.18.0.0/15")] };
            await allocator.Ask<PoolStatusReport>(new ConfigurePools([pool]), Timeout);

            var watch = Stopwatch.StartNew();
            var pending = new List<Task<ServiceAllocation>>();
            for (var i = 0; i < count; i++)
            {
                pending.Add(allocator.Ask<ServiceAllocation>(new ServiceSourceMessages.Upserted("bench", Service("one", i)), Timeout));
                if (pending.Count < inFlight) continue;
                var done = await Task.WhenAny(pending);
                pending.Remove(done);
                Check(await done);
            }
            foreach (var t in pending) Check(await t);
            var upsertTime = watch.Elapsed;
            Console.WriteLine($"upsert    {count} services one by one ({inFlight} in flight): {upsertTime.TotalSeconds:F2} s ({count / upsertTime.TotalSeconds:F0}/s)");

            watch.Restart();
            var batch = Enumerable.Range(0, count).Select(i => Service("batch", i)).ToList();
            var report = await allocator.Ask<AllocationsReport>(new ServiceSourceMessages.Snapshot("bench-batch", batch), Timeout);
            if (report.Allocations.Any(a => a.Error is not null)) throw new InvalidOperationException("batch allocation failed");
            Console.WriteLine($"snapshot  {count} services in one source Snapshot: {watch.Elapsed.TotalSeconds:F2} s");
            var status = (await allocator.Ask<PoolStatusReport>(GetPoolStatus.Instance, Timeout)).Pools[0];
            Console.WriteLine($"pool      size {status.Size}, used {status.Used}, free {status.Free}");
            await system.Terminate();
            if (provider == "sqlite")
                Console.WriteLine($"journal   {Directory.GetFiles(dir).Sum(f => new FileInfo(f).Length) / 1024.0 / 1024.0:F1} MiB on disk (SQLite, events + snapshots)");

            watch.Restart();
            (system, allocator) = await StartAsync(settings, dir, snapshotEvery);
            var recovered = await allocator.Ask<AllocationsReport>(GetAllocations.Instance, Timeout);
            Console.WriteLine($"recovery  {recovered.Allocations.Count} allocations in {watch.Elapsed.TotalMilliseconds:F0} ms (ActorSystem start, snapshot + tail replay, first answer)");
            await system.Terminate();
            return recovered.Allocations.Count == 2 * count ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch { }
        }
    }

    private static async Task<(ActorSystem, IActorRef)> StartAsync(PersistenceSettings settings, string dir, int snapshotEvery)
    {
        var system = ActorSystem.Create("lbbench", AllocatorPersistence.For(settings, dir).WithFallback("akka.loglevel = WARNING"));
        var allocator = system.ActorOf(AllocatorActor.Props(ActorRefs.Nobody, snapshotEvery), "allocator");
        await Task.CompletedTask;
        return (system, allocator);
    }

    private static LoadBalancerService Service(string ns, int i) => new()
    {
        Namespace = ns, Name = $"svc-{i}", Ports = [new ServicePort("TCP", 80)], SharingKey = null,
    };

    private static void Check(ServiceAllocation a)
    {
        if (a.Error is not null) throw new InvalidOperationException($"{a.Service}: {a.Error}");
    }

    private static AddressRange Range(string text) =>
        AddressRange.TryParse(text, out var r, out var e) ? r : throw new FormatException(e);
}
