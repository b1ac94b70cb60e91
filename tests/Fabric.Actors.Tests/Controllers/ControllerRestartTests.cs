using Akka.Actor;
using Akka.TestKit.Xunit2;
using Fabric.Actors.Controllers;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Actors.Tests.Controllers;

public sealed class ControllerRestartTests : TestKit
{
    /// <summary>Copies hostnames to resolvers, and throws whenever the hostname is "boom".</summary>
    private sealed class Fragile(IActorRef store, IActorRef starts) : ControllerActor(store)
    {
        protected override string Name => "Fragile";
        protected override IReadOnlyList<ResourceKind> Inputs { get; } = [ResourceTypes.HostnameStatus.Kind];
        protected override IReadOnlyList<ResourceKind> Outputs { get; } = [ResourceTypes.ResolverStatus.Kind];

        protected override void PreStart()
        {
            starts.Tell("started");
            base.PreStart();
        }

        protected override IReadOnlyCollection<ControllerOutput> Reconcile(InputView inputs)
        {
            var names = inputs.Specs<HostnameStatus>(ResourceTypes.HostnameStatus).Select(h => h.Hostname).ToList();
            if (names.Contains("boom")) throw new InvalidOperationException("boom");
            return [ControllerOutput.Of(ResourceTypes.ResolverStatus, "copy", new ResolverStatus { SearchDomains = names })];
        }
    }

    private static Put Host(string name) =>
        new(new ResourceKey(Namespaces.Network, ResourceTypes.HostnameStatus.Name, "hostname"), new HostnameStatus { Hostname = name });

    [Fact]
    public async Task A_throwing_controller_is_restarted_with_backoff_while_the_store_and_others_carry_on()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        var starts = CreateTestProbe();
        var env = new NodeEnvironment(new Kernel.InMemoryKernel(), "/nonexistent", "/nonexistent", null!)
        {
            MinBackoff = TimeSpan.FromMilliseconds(100), MaxBackoff = TimeSpan.FromMilliseconds(400),
        };
        Sys.ActorOf(NodeSupervisor.WithBackoff(Props.Create(() => new Fragile(store, starts.Ref)), "fragile", env));
        Sys.ActorOf(MergeController.Props(store, ResourceTypes.HostnameSpec));
        var reader = new StoreReader(store);
        starts.ExpectMsg("started");

        store.Tell(Write.One("t", Host("ok")));
        await reader.EventuallyAsync(() => reader.SpecsAsync<ResolverStatus>(ResourceTypes.ResolverStatus),
            r => r.Count == 1 && r[0].SearchDomains.SequenceEqual(["ok"]), "first output");

        store.Tell(Write.One("t", Host("boom")));
        // Each restart re-reads the store, meets "boom" again and throws: restarts keep coming, ever further apart.
        var times = new List<DateTime>();
        for (var i = 0; i < 3; i++) { starts.ExpectMsg("started", TimeSpan.FromSeconds(3)); times.Add(DateTime.UtcNow); }
        Assert.True(times[2] - times[1] >= TimeSpan.FromMilliseconds(150), $"backoff grew: {times[1] - times[0]}, {times[2] - times[1]}");

        // Its last output survives in the store, and another controller still works.
        Assert.Equal(["ok"], (await reader.SpecsAsync<ResolverStatus>(ResourceTypes.ResolverStatus))[0].SearchDomains);
        store.Tell(Write.One("c", new Put(new ResourceKey(Namespaces.NetworkConfig, "HostnameSpec", "configuration/hostname"),
            new HostnameSpec { Hostname = "merged" }, Layers.Configuration)));
        await reader.EventuallyAsync(() => reader.SpecsAsync<HostnameSpec>(ResourceTypes.HostnameSpec), h => h.Count == 1, "merge still runs");

        // Once the bad input goes away the controller recovers by itself.
        store.Tell(Write.One("t", Host("fine")));
        await reader.EventuallyAsync(() => reader.SpecsAsync<ResolverStatus>(ResourceTypes.ResolverStatus),
            r => r.Count == 1 && r[0].SearchDomains.SequenceEqual(["fine"]), "recovered output", TimeSpan.FromSeconds(5));
    }
}
