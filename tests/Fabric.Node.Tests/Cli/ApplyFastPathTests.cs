using System.Diagnostics;
using Fabric.Node.Cli;
using Fabric.Node.Tests.Api;
using Fabric.Node.Tests.Support;

namespace Fabric.Node.Tests.Cli;

public sealed class ApplyFastPathTests
{
    [Theory]
    [InlineData("apply|a.yaml", "a.yaml", null)]
    [InlineData("apply|a.yaml|-e|10.0.0.1:7", "a.yaml", "10.0.0.1:7")]
    [InlineData("apply|-e|10.0.0.1:7|a.yaml", "a.yaml", "10.0.0.1:7")]
    [InlineData("apply|a.yaml|--endpoints|[::1]:7", "a.yaml", "[::1]:7")]
    public void Plain_spellings_take_the_fast_path(string args, string file, string? endpoint) =>
        Assert.Equal(new ApplyFastPath.Request(file, endpoint), ApplyFastPath.Parse(args.Split('|')));

    /// <summary>Everything else is the full command line's to parse, help and errors included.</summary>
    [Theory]
    [InlineData("apply")]
    [InlineData("apply|--help")]
    [InlineData("apply|-h")]
    [InlineData("apply|a.yaml|b.yaml")]
    [InlineData("apply|@args.rsp")]
    [InlineData("apply|a.yaml|-e")]
    [InlineData("apply|a.yaml|-e|-x")]
    [InlineData("apply|a.yaml|--endpoints=10.0.0.1:7")]
    [InlineData("apply|a.yaml|-e|a:1|-e|b:1")]
    [InlineData("apply|")]
    [InlineData("apply|--|a.yaml")]
    [InlineData("get|addresses")]
    [InlineData("validate|a.yaml")]
    public void Anything_else_goes_to_the_full_command_line(string args) => Assert.Null(ApplyFastPath.Parse(args.Split('|')));

    /// <summary>The real executable, so Program.cs, the fast path and its own output streams are what is tested.</summary>
    [Fact]
    public async Task The_fabric_executable_applies_and_reports_like_the_full_command()
    {
        var h = new ApiHarness();
        await h.InitializeAsync();
        var accepted = Path.GetTempFileName();
        var rejected = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(accepted, "# warn: ünïcode survives\nnetwork:\n  hostname: cp-1\n");
            await File.WriteAllTextAsync(rejected, "# reject\n");

            var (exit, output, error) = await RunFabricAsync("apply", accepted, "-e", h.Endpoint);
            Assert.Equal(0, exit);
            Assert.Equal("config applied (generation 1)\n", output);
            Assert.Equal("network.interfaces[1]: eth9 does not exist yet\n", error);
            Assert.Equal("# warn: ünïcode survives\nnetwork:\n  hostname: cp-1\n", h.Applier.LastYaml);

            (exit, output, error) = await RunFabricAsync("apply", rejected, "-e", h.Endpoint);
            Assert.Equal(1, exit);
            Assert.Equal("", output);
            Assert.Equal("network.interfaces[0].addresses[0]: \"300.1.1.1/24\" is not a CIDR\nnetwork.hostname: required\n" +
                         $"fabric: config rejected by the agent at {h.Endpoint}\n", error);

            (exit, _, error) = await RunFabricAsync("apply", "/nonexistent/fabric.yaml", "-e", h.Endpoint);
            Assert.Equal(1, exit);
            Assert.Equal("fabric: cannot read /nonexistent/fabric.yaml: No such file or directory\n", error);
        }
        finally
        {
            File.Delete(accepted);
            File.Delete(rejected);
            await h.DisposeAsync();
        }
    }

    private static async Task<(int Exit, string Out, string Err)> RunFabricAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [AgentProcess.FabricDll, .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
