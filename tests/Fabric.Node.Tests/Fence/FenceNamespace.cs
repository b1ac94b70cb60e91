using Fabric.Node.Tests.Support;
using Fabric.Vip.Fence;

namespace Fabric.Node.Tests.Fence;

/// <summary>The fence's nftables tables in a test namespace: nft runs inside it, never in this machine's own.</summary>
internal static class FenceNamespace
{
    public static string PathOf(NetworkNamespace ns) => $"/var/run/netns/{ns.Name}";

    /// <summary>What <see cref="NftCommand"/> does, but inside <paramref name="ns"/>: null on success, else why.</summary>
    public static async Task<string?> ApplyRulesetAsync(NetworkNamespace ns, string script)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, script);
            await ns.RunAsync($"nft -f {file}");
            return null;
        }
        catch (InvalidOperationException e) { return e.Message; }
        finally { File.Delete(file); }
    }

    public static Task<string> ListSetAsync(NetworkNamespace ns, string family, string set) =>
        ns.RunAsync($"nft list set {family} {FenceRuleset.Table} {set} 2>&1", check: false);
}
