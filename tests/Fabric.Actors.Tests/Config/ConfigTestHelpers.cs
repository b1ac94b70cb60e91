using Fabric.Actors.Config;

namespace Fabric.Actors.Tests.Config;

internal static class ConfigTestHelpers
{
    public const string File = "node.yaml";

    public static ConfigResult Parse(string yaml) => ConfigLoader.Parse(yaml, File);

    public static MachineConfig ParseValid(string yaml)
    {
        var result = Parse(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Diagnostics));
        return result.Config!;
    }

    public static ConfigResult LoadSample(string name) =>
        ConfigLoader.Load(Path.Combine(AppContext.BaseDirectory, "Config", "Samples", name));

    /// <summary>The config must produce exactly these lines, in order; nothing extra slips through.</summary>
    public static void AssertDiagnostics(string yaml, params string[] expected)
    {
        var result = Parse(yaml);
        Assert.Equal(expected, result.Diagnostics.Select(d => d.ToString()).ToArray());
        if (expected.Any(e => !e.Contains(": warning: "))) Assert.Null(result.Config);
    }
}
