using System.ComponentModel;
using System.Diagnostics;

namespace Fabric.Vip.Fence;

/// <summary>Runs <c>nft -f -</c> with a ruleset on stdin: how the fence's tables are made, once at start. Returns
/// null on success, else why it failed, in words an operator can act on.</summary>
public static class NftCommand
{
    public static async Task<string?> ApplyAsync(string script, string nft = "nft")
    {
        var info = new ProcessStartInfo(nft, ["-f", "-"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        Process process;
        try { process = Process.Start(info)!; }
        catch (Win32Exception e) { return $"cannot run {nft}: {e.Message} (is the nftables package installed?)"; }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            await process.StandardInput.WriteAsync(script).ConfigureAwait(false);
            process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException)
            {
                process.Kill();
                return $"{nft} -f - did not finish within 30 s";
            }
            if (process.ExitCode == 0) return null;
            var text = ((await stderr.ConfigureAwait(false)) + (await stdout.ConfigureAwait(false))).Trim();
            return $"{nft} -f - exited {process.ExitCode}: {text}";
        }
    }
}
