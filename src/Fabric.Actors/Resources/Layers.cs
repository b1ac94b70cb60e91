namespace Fabric.Actors.Resources;

/// <summary>Config layers, lowest priority first: a spec from a higher layer wins over the same id from a lower one.</summary>
public static class Layers
{
    public const string Default = "default";
    public const string Cmdline = "cmdline";
    public const string Platform = "platform";
    public const string Operator = "operator";
    public const string Configuration = "configuration";

    public static readonly IReadOnlyList<string> ByPriority = [Default, Cmdline, Platform, Operator, Configuration];

    private static readonly Dictionary<string, int> Ranks = ByPriority.Select((layer, rank) => (layer, rank)).ToDictionary(x => x.layer, x => x.rank);

    public static int Priority(string layer) =>
        Ranks.TryGetValue(layer, out var rank) ? rank : throw new ArgumentException($"unknown layer \"{layer}\"", nameof(layer));

    /// <summary>The id a layered spec carries in <see cref="Namespaces.NetworkConfig"/>.</summary>
    public static string LayeredId(string layer, string id) => $"{layer}/{id}";
}
