using System.Diagnostics;

namespace Fabric.Bench;

/// <summary>Runs commands for the benchmark harness (setting up links, running ip -batch); never product code.</summary>
public static class Sh
{
    public static string Run(string command, string? stdin = null)
    {
        var info = new ProcessStartInfo("/bin/sh", ["-c", command])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdin is not null, UseShellExecute = false,
        };
        using var p = Process.Start(info)!;
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"`{command}` exited {p.ExitCode}: {output}");
        return output;
    }
}
