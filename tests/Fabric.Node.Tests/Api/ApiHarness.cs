using Akka.Actor;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Node.Api;

namespace Fabric.Node.Tests.Api;

/// <summary>A real store and a real API server on a free port, per test class.</summary>
public sealed class ApiHarness : IAsyncLifetime
{
    public const string NodeName = "cp-1";
    public const string Owner = "test";

    public ActorSystem System { get; } = ActorSystem.Create("api-tests");
    public IActorRef Store { get; private set; } = ActorRefs.Nobody;
    internal FakeApplier Applier { get; } = new();
    public ApiServer Server { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string Endpoint => Server.BoundEndpoint!.ToString();

    public async Task InitializeAsync()
    {
        Store = System.ActorOf(ResourceStore.Props(), "store");
        Server = new ApiServer(System, Store, NodeName, Applier, new ApiServerOptions { Listen = new ApiEndpoint("127.0.0.1", 0) });
        await Server.StartAsync();
        Http = new HttpClient { BaseAddress = Server.BoundEndpoint!.BaseUri, Timeout = TimeSpan.FromSeconds(20) };
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
        await System.Terminate();
    }

    public async Task Put(IResourceSpec spec, string id, string? layer = null, string? ns = null)
    {
        var type = ResourceTypes.Of(spec);
        var key = new ResourceKey(ns ?? type.Namespace, type.Name, id);
        var result = await Store.Ask<WriteResult>(Write.One(Owner, new Put(key, spec, layer)), TimeSpan.FromSeconds(5));
        Assert.Empty(result.Rejected);
    }

    public async Task Destroy(ResourceType type, string id)
    {
        var result = await Store.Ask<WriteResult>(new Write(Owner, [], [new ResourceKey(type.Namespace, type.Name, id)]), TimeSpan.FromSeconds(5));
        Assert.Empty(result.Rejected);
    }

    public static AddressStatus Address(string link, string cidr, int index = 2) =>
        new() { Address = cidr, LinkIndex = index, LinkName = link, Family = cidr.Contains(':') ? "inet6" : "inet4" };
}
