using System.Net;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Actors.Controllers;
using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Tests.Controllers;

/// <summary>A whole node's controllers over an in-memory kernel, with its etc root and state dir in a temp folder.</summary>
public sealed class NodeHarness : IDisposable
{
    public InMemoryKernel Kernel { get; }
    public IActorRef Store { get; }
    public StoreReader Reader { get; }
    public string Root { get; } = Directory.CreateTempSubdirectory("fabric-node-").FullName;
    private long generation;

    public NodeHarness(ActorSystem system, params string[] links)
    {
        Kernel = new InMemoryKernel(links);
        var env = new NodeEnvironment(Kernel, Path.Combine(Root, "root"), Path.Combine(Root, "state"), new NoHardware())
        {
            MinBackoff = TimeSpan.FromMilliseconds(50),
        };
        var node = system.ActorOf(NodeSupervisor.Props(env), $"node-{Guid.NewGuid():N}");
        Store = node.Ask<IActorRef>(NodeSupervisor.GetStore.Instance, TimeSpan.FromSeconds(3)).Result;
        Reader = new StoreReader(Store);
    }

    public void Apply(NetworkConfig network) =>
        Store.Tell(MachineConfigs.Publish(new MachineConfig { Network = network }, ++generation, "test"));

    public async Task<IReadOnlyList<KernelAddress>> KernelAddressesAsync() => await Kernel.GetAddressesAsync();

    public async Task<IReadOnlyList<KernelRoute>> KernelRoutesAsync() => await Kernel.GetRoutesAsync();

    public Task<IReadOnlyList<KernelAddress>> EventuallyAddressesAsync(Func<IReadOnlyList<KernelAddress>, bool> done, string what) =>
        Reader.EventuallyAsync(KernelAddressesAsync, done, what);

    public Task<IReadOnlyList<KernelRoute>> EventuallyRoutesAsync(Func<IReadOnlyList<KernelRoute>, bool> done, string what) =>
        Reader.EventuallyAsync(KernelRoutesAsync, done, what);

    public static AddressDefinition Address(string link, string cidr) => new() { Link = link, Prefix = IpPrefix.Parse(cidr) };

    public static RouteDefinition Route(string link, string? destination, string gateway, uint metric = 1024) => new()
    {
        Link = link, Destination = destination is null ? null : IpPrefix.Parse(destination), Gateway = IPAddress.Parse(gateway), Metric = metric,
    };

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    private sealed class NoHardware : ILinkHardware
    {
        public LinkHardwareInfo Describe(string linkName) => new("", "", "");
    }
}
