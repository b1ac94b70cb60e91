namespace Fabric.Node.Tests.Support;

/// <summary>Base of the tests that run one agent beside a BIRD router (<see cref="AgentWithRouter"/>): a fresh pair
/// per test, torn down after it, and short names for its parts.</summary>
public abstract class AgentWithRouterTest : IAsyncLifetime
{
    protected AgentWithRouter lab = null!;
    protected NetworkNamespace node => lab.Node;
    protected NetworkNamespace router => lab.Router;
    protected string dir => lab.Dir;
    protected int port => lab.ApiPort;
    protected BirdPeer? bird { get => lab.Bird; set => lab.Bird = value; }
    protected AgentProcess? agent { get => lab.Agent; set => lab.Agent = value; }

    public async Task InitializeAsync() => lab = await AgentWithRouter.CreateAsync();

    public async Task DisposeAsync() => await lab.DisposeAsync();
}
