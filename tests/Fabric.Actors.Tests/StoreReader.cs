using Akka.Actor;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;

namespace Fabric.Actors.Tests;

/// <summary>Test helper: read the store and wait for it to reach a state.</summary>
public sealed class StoreReader(IActorRef store)
{
    public async Task<IReadOnlyList<T>> SpecsAsync<T>(ResourceType type) where T : IResourceSpec =>
        (await store.Ask<ListResult>(new List(type.Kind), TimeSpan.FromSeconds(3))).Resources.Select(r => r.Spec).OfType<T>().ToList();

    public async Task<IReadOnlyList<Resource>> ListAsync(ResourceKind kind) =>
        (await store.Ask<ListResult>(new List(kind), TimeSpan.FromSeconds(3))).Resources;

    public async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        T last;
        while (true)
        {
            last = await read();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}; last seen: {Describe(last)}");
            await Task.Delay(20);
        }
    }

    private static string Describe<T>(T value) => value switch
    {
        System.Collections.IEnumerable e and not string => string.Join("; ", e.Cast<object>()),
        _ => value?.ToString() ?? "null",
    };
}
