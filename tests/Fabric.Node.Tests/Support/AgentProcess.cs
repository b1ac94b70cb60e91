using System.Diagnostics;
using System.Text;

namespace Fabric.Node.Tests.Support;

/// <summary>The real `fabric node` executable running in a test's network namespace and in a UTS namespace of its
/// own, so the hostname it sets never touches this machine's.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    public NetworkNamespace Namespace { get; }
    public int Port { get; }
    public string Log { get { lock (output) return output.ToString(); } }

    private AgentProcess(Process process, NetworkNamespace ns, int port)
    {
        this.process = process;
        Namespace = ns;
        Port = port;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static string FabricDll => typeof(Fabric.Node.Agent.NodeAgent).Assembly.Location;

    public static async Task<AgentProcess> StartAsync(NetworkNamespace ns, string configPath, int port)
    {
        var info = new ProcessStartInfo("ip", ["netns", "exec", ns.Name, "unshare", "-u", "dotnet", FabricDll, "node", "--config", configPath])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var agent = new AgentProcess(Process.Start(info)!, ns, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!agent.Log.Contains("running; API on"))
        {
            if (agent.process.HasExited) throw new InvalidOperationException($"fabric node exited {agent.process.ExitCode}:\n{agent.Log}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"fabric node did not start:\n{agent.Log}");
            await Task.Delay(50);
        }
        return agent;
    }

    /// <summary>`ip netns exec` and `unshare` both exec in place, so the process started is the agent itself.</summary>
    public int Pid => process.Id;

    /// <summary>The hostname as the agent's UTS namespace sees it.</summary>
    public async Task<string> HostnameAsync() => (await Shell.RunAsync($"nsenter -t {process.Id} -u hostname")).Trim();

    public Task<string> GetJsonAsync(string path) => Namespace.RunAsync($"curl -sS --max-time 5 http://127.0.0.1:{Port}{path}");

    /// <summary>Runs the fabric CLI inside the namespace against this agent: (exit code, stdout and stderr).</summary>
    public async Task<(int ExitCode, string Output)> CliAsync(string arguments)
    {
        var output = await Shell.RunAsync(
            $"ip netns exec {Namespace.Name} dotnet {FabricDll} {arguments} -e 127.0.0.1:{Port} 2>&1; echo \"exit=$?\"");
        var marker = output.LastIndexOf("exit=", StringComparison.Ordinal);
        return (int.Parse(output[(marker + 5)..].Trim()), output[..marker]);
    }

    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (process.HasExited) return process.ExitCode;
        await Shell.RunAsync($"kill -TERM {process.Id}", check: false);
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); return -1; }
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
