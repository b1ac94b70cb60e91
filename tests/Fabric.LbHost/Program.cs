using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Config;

// A process that allocates continuously and prints every acknowledged allocation, for the kill -9 test:
//   Fabric.LbHost <sqlite|postgresql> <connection-string> <count>
// Output: "READY", then one "ACK <service> <ips>" per reply, in reply order.
var settings = new PersistenceSettings { Provider = args[0], ConnectionString = args[1] };
var count = int.Parse(args[2]);
using var system = ActorSystem.Create("lbhost", AllocatorPersistence.For(settings, Path.GetTempPath()));
var allocator = system.ActorOf(AllocatorActor.Props(ActorRefs.Nobody, snapshotEvery: 100), "allocator");
var timeout = TimeSpan.FromSeconds(30);
var pool = new IpAddressPool
{
    Name = "bench",
    Addresses = ["198.18.0.0/15"],
    Ranges = [AddressRange.TryParse("198.18.0.0/15", out var r, out _) ? r : throw new InvalidOperationException()],
};
await allocator.Ask<AllocatorMessages.PoolStatusReport>(new AllocatorMessages.ConfigurePools([pool]), timeout);
Console.WriteLine("READY");
// A few requests in flight at once, as sources do; replies still come only after the journal write.
const int inFlight = 8;
var pending = new List<Task<ServiceAllocation>>();
for (var i = 0; i < count; i++)
{
    var service = new LoadBalancerService
    {
        Namespace = "kill", Name = $"svc-{i}",
        Ports = [new ServicePort("TCP", 1000 + i)],
        SharingKey = i % 4 == 0 ? "shared" : null,
    };
    pending.Add(allocator.Ask<ServiceAllocation>(new ServiceSourceMessages.Upserted("host", service), timeout));
    if (pending.Count < inFlight) continue;
    var done = await Task.WhenAny(pending);
    pending.Remove(done);
    Report(await done);
}
foreach (var task in pending) Report(await task);
Console.WriteLine("DONE");
return 0;

static void Report(ServiceAllocation a) =>
    Console.WriteLine(a.Error is null ? $"ACK {a.Service} {string.Join(",", a.Ips)}" : $"ERR {a.Service} {a.Error}");
