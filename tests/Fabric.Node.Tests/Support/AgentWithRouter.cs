namespace Fabric.Node.Tests.Support;

/// <summary>An agent's namespace wired by a veth pair to a router namespace (203.0.113.1/24 on its eth0) where a
/// BIRD peer runs, with a scratch directory and API port for the agent; disposes agent, BIRD and both namespaces.</summary>
public sealed class AgentWithRouter : IAsyncDisposable
{
    public NetworkNamespace Node { get; private set; } = null!;
    public NetworkNamespace Router { get; private set; } = null!;
    public BirdPeer? Bird { get; set; }
    public AgentProcess? Agent { get; set; }
    public string Dir { get; } = Directory.CreateTempSubdirectory("fabric-agent-router-").FullName;
    public int ApiPort { get; } = 53000 + Random.Shared.Next(0, 6000);

    public static async Task<AgentWithRouter> CreateAsync()
    {
        var lab = new AgentWithRouter();
        lab.Node = await NetworkNamespace.CreateAsync("fnode");
        lab.Router = await NetworkNamespace.CreateAsync("fnode");
        await lab.Node.RunAsync($"ip link add eth0 type veth peer name eth0 netns {lab.Router.Name}");
        await lab.Router.RunAsync("ip addr add 203.0.113.1/24 dev eth0");
        await lab.Router.RunAsync("ip link set eth0 up");
        return lab;
    }

    public async ValueTask DisposeAsync()
    {
        if (Agent is not null) await Agent.DisposeAsync();
        if (Bird is not null) await Bird.DisposeAsync();
        if (Node is not null) await Node.DisposeAsync();
        if (Router is not null) await Router.DisposeAsync();
        Directory.Delete(Dir, recursive: true);
    }
}
