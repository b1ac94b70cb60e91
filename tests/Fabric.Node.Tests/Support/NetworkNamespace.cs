namespace Fabric.Node.Tests.Support;

/// <summary>A network namespace made for one test, deleted with everything in it on dispose.</summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    public string Name { get; }

    private NetworkNamespace(string name) => Name = name;

    public static async Task<NetworkNamespace> CreateAsync(string prefix)
    {
        var ns = new NetworkNamespace($"{prefix}-{Guid.NewGuid().ToString("N")[..8]}");
        await Shell.RunAsync($"ip netns add {ns.Name}");
        await ns.RunAsync("ip link set lo up");
        return ns;
    }

    /// <summary>Runs a command inside the namespace.</summary>
    public Task<string> RunAsync(string command, bool check = true) =>
        Shell.RunAsync($"ip netns exec {Name} {command}", check);

    public async ValueTask DisposeAsync() => await Shell.RunAsync($"ip netns del {Name}", check: false);
}
