using System.Diagnostics;

namespace Fabric.Node.Tests.Support;

/// <summary>Runs setup and inspection commands for tests (ip, nsenter, curl). Product code never does this.</summary>
public static class Shell
{
    public static async Task<string> RunAsync(string command, bool check = true, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        if (check && process.ExitCode != 0)
            throw new InvalidOperationException($"`{command}` exited {process.ExitCode}: {await stderr}{await stdout}");
        return await stdout;
    }
}
