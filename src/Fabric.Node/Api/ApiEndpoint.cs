using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Fabric.Node.Api;

/// <summary>A "host:port" the API listens on or the CLI talks to. IPv6 hosts go in brackets: "[::1]:50000".</summary>
public sealed record ApiEndpoint(string Host, int Port)
{
    public const int DefaultPort = 50000;
    public static readonly ApiEndpoint Default = new("127.0.0.1", DefaultPort);

    public Uri BaseUri => new($"http://{HostForUri}:{Port.ToString(CultureInfo.InvariantCulture)}/");

    private string HostForUri => Host.Contains(':') ? $"[{Host}]" : Host;

    public override string ToString() => $"{HostForUri}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Accepts "host", "host:port", "[v6]:port" and an "http://" prefix, which users paste from browsers.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out ApiEndpoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) s = s["http://".Length..];
        s = s.TrimEnd('/');
        if (s.Length == 0) return false;

        string host;
        var port = DefaultPort;
        if (s.StartsWith('['))
        {
            var close = s.IndexOf(']');
            if (close < 0) return false;
            host = s[1..close];
            var rest = s[(close + 1)..];
            if (rest.Length > 0 && (!rest.StartsWith(':') || !TryPort(rest[1..], out port))) return false;
        }
        else if (s.Count(c => c == ':') > 1)
        {
            host = s; // a bare IPv6 address: no room for a port without brackets
        }
        else
        {
            var colon = s.IndexOf(':');
            host = colon < 0 ? s : s[..colon];
            if (colon >= 0 && !TryPort(s[(colon + 1)..], out port)) return false;
        }
        if (host.Length == 0) return false;
        endpoint = new ApiEndpoint(host, port);
        return true;
    }

    public static ApiEndpoint Parse(string text) =>
        TryParse(text, out var endpoint) ? endpoint : throw new FormatException($"\"{text}\" is not a host:port endpoint");

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 0 and <= 65535;
}
