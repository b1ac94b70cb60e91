using System.Globalization;
using System.Net;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Fabric.Actors.Config;

/// <summary>A YAML node together with its dotted path, so every conversion failure can say where and what.</summary>
internal readonly record struct YNode(ReadContext Context, YamlNode Node, string Path)
{
    public SourceLocation Location => Context.At(Node);
    public Origin Origin => new(Location, Path);

    /// <summary>`key:` with nothing after it, `~` or `null`: treated as if the key were absent.</summary>
    public bool IsNull => Node is YamlScalarNode { Style: ScalarStyle.Plain } s
                          && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public void Error(string message) => Context.Error(Location, Path, message);
    public void Warning(string message) => Context.Warning(Location, Path, message);

    public YNode Item(int index, YamlNode node) => new(Context, node, $"{Path}[{index}]");
    public YNode Child(string key, YamlNode node) => new(Context, node, Path.Length == 0 ? key : $"{Path}.{key}");

    public string Describe() => Node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"\"{s.Value}\"",
        _ => "an alias",
    };

    public YMap? AsMap(IReadOnlyCollection<string>? allowedKeys, string? what = null)
    {
        if (Node is YamlMappingNode mapping) return new YMap(this, mapping, allowedKeys);
        Error($"expected {what ?? "a mapping (key: value pairs)"}, got {Describe()}");
        return null;
    }

    /// <summary>The items of a list; a null value is an empty list.</summary>
    public IReadOnlyList<YNode> AsList(string? what = null)
    {
        if (IsNull) return [];
        if (Node is YamlSequenceNode seq)
        {
            var self = this;
            return seq.Children.Select((n, i) => self.Item(i, n)).ToList();
        }
        Error($"expected a list{(what is null ? "" : " of " + what)}, got {Describe()}");
        return [];
    }

    public string? AsString()
    {
        if (Node is YamlScalarNode s) return s.Value ?? "";
        Error($"expected a string, got {Describe()}");
        return null;
    }

    public bool? AsBool()
    {
        var text = ScalarText("true or false");
        if (text is null) return null;
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return true;
        if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return false;
        Error($"expected true or false, got \"{text}\"");
        return null;
    }

    /// <summary>A whole number within [min, max]; decimal or 0x hex (firewall marks are often written in hex).</summary>
    public ulong? AsUInt(ulong min, ulong max, string? what = null)
    {
        var text = ScalarText("an integer");
        if (text is null) return null;
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok)
        {
            Error($"expected {what ?? "value"} as a whole number ({min}..{max}), got \"{text}\"");
            return null;
        }
        if (value < min || value > max)
        {
            Error($"{what ?? "value"} must be {min}..{max}, got {value}");
            return null;
        }
        return value;
    }

    public double? AsDouble(double min, double max, string what)
    {
        var text = ScalarText("a number");
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            Error($"expected {what}, got \"{text}\"");
            return null;
        }
        if (value < min || value > max)
        {
            Error($"{what} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, got {text}");
            return null;
        }
        return value;
    }

    public IPAddress? AsIp(string what = "an IP address")
    {
        var text = ScalarText(what);
        if (text is null) return null;
        if (ValueRules.TryParseIp(text, out var ip)) return ip;
        Error(text.Contains('/')
            ? $"expected {what} without a prefix length, got \"{text}\""
            : $"\"{text}\" is not a valid IP address");
        return null;
    }

    public IpPrefix? AsPrefix(string what = "a CIDR prefix like 192.0.2.0/24")
    {
        var text = ScalarText(what);
        if (text is null) return null;
        var slash = text.IndexOf('/');
        if (slash < 0)
        {
            Error(ValueRules.TryParseIp(text, out var bare)
                ? $"\"{text}\" has no prefix length; add the subnet's length, e.g. {text}/{(bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 64 : 24)}"
                : $"\"{text}\" is not {what}");
            return null;
        }
        if (!ValueRules.TryParseIp(text[..slash], out _))
        {
            Error($"\"{text}\" is not a valid CIDR prefix: \"{text[..slash]}\" is not an IP address");
            return null;
        }
        if (IpPrefix.TryParse(text, out var prefix, out var error)) return prefix;
        Error($"\"{text}\" is not a valid CIDR prefix: {error}");
        return null;
    }

    public TimeSpan? AsDuration()
    {
        var text = ScalarText("a duration like 90s");
        if (text is null) return null;
        if (GoDuration.TryParse(text, out var value, out var error)) return value;
        Error(error);
        return null;
    }

    private string? ScalarText(string expected)
    {
        if (Node is YamlScalarNode s) return s.Value ?? "";
        Error($"expected {expected}, got {Describe()}");
        return null;
    }
}
