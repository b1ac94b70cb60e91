using YamlDotNet.RepresentationModel;

namespace Fabric.Actors.Config;

/// <summary>A YAML mapping read by key. Keys not in the allowed set are reported as errors, because a typo in a
/// network config (e.g. "adresses") would otherwise silently leave a node unreachable.</summary>
internal sealed class YMap
{
    private readonly Dictionary<string, YNode> _values = new(StringComparer.Ordinal);

    public YNode Self { get; }
    public IEnumerable<string> Keys => _values.Keys;

    public YMap(YNode self, YamlMappingNode mapping, IReadOnlyCollection<string>? allowedKeys)
    {
        Self = self;
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                self.Context.Error(self.Context.At(keyNode), self.Path, "keys must be plain strings");
                continue;
            }
            var child = self.Child(key, valueNode);
            if (allowedKeys is not null && !allowedKeys.Contains(key))
            {
                self.Context.Error(self.Context.At(keyNode), child.Path, UnknownKeyMessage(key, allowedKeys));
                continue;
            }
            _values[key] = child;
        }
    }

    public SourceLocation Location => Self.Location;
    public string Path => Self.Path;

    /// <summary>The value of a key, or null when absent or written as null.</summary>
    public YNode? this[string key] => _values.TryGetValue(key, out var node) && !node.IsNull ? node : null;

    public bool Has(string key) => this[key] is not null;

    public string? String(string key) => this[key]?.AsString();
    public bool? Bool(string key) => this[key]?.AsBool();
    public ulong? UInt(string key, ulong min, ulong max, string? what = null) => this[key]?.AsUInt(min, max, what);
    public TimeSpan? Duration(string key) => this[key]?.AsDuration();
    public IReadOnlyList<YNode> List(string key, string? what = null) => this[key]?.AsList(what) ?? [];
    public YMap? Map(string key, IReadOnlyCollection<string>? allowed) => this[key]?.AsMap(allowed);

    public IReadOnlyList<string> StringList(string key) =>
        List(key, "strings").Select(n => n.AsString()).OfType<string>().ToList();

    public void Error(string message) => Self.Error(message);

    private static string UnknownKeyMessage(string key, IReadOnlyCollection<string> allowed)
    {
        var suggestion = allowed.FirstOrDefault(a => string.Equals(a, key, StringComparison.OrdinalIgnoreCase))
                         ?? allowed.Where(a => EditDistance(a.ToLowerInvariant(), key.ToLowerInvariant()) <= 2)
                                   .OrderBy(a => EditDistance(a, key)).FirstOrDefault();
        return suggestion is null
            ? $"unknown key \"{key}\" (allowed here: {string.Join(", ", allowed)})"
            : $"unknown key \"{key}\"; did you mean \"{suggestion}\"?";
    }

    private static int EditDistance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var previous = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var current = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), previous + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
        }
        return row[b.Length];
    }
}
