using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Fabric.Actors.Config;

/// <summary>Checks of single values (names, host:port, communities, keys) shared by every reader.
/// Each returns null when the value is fine, or the reason it is not, worded for the operator.</summary>
internal static class ValueRules
{
    public static readonly string[] BondModes = ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"];
    public static readonly string[] XmitHashPolicies = ["layer2", "layer3+4", "layer2+3", "encap2+3", "encap3+4", "vlan+srcmac"];
    public static readonly string[] LacpRates = ["slow", "fast"];
    public static readonly string[] WellKnownCommunities = ["no-export", "no-advertise", "no-export-subconfed", "blackhole"];

    /// <summary>Strict IP parsing: .NET accepts "1" or "10.1" as IPv4 and scope ids as IPv6, which no one means in a config.</summary>
    public static bool TryParseIp(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (!IPAddress.TryParse(text, out var parsed) || text.Contains('%')) return false;
        if (parsed.AddressFamily == AddressFamily.InterNetwork && text.Count(c => c == '.') != 3) return false;
        address = parsed;
        return true;
    }

    /// <summary>RFC 1123 host name: labels of 1..63 letters, digits and '-', not starting or ending with '-', 253 in all.</summary>
    public static string? HostnameProblem(string name, string what = "hostname")
    {
        if (name.Length == 0) return $"{what} is empty";
        if (name.Length > 253) return $"\"{name}\" is not a valid {what}: {name.Length} characters, at most 253 allowed";
        foreach (var label in name.Split('.'))
        {
            if (label.Length == 0) return $"\"{name}\" is not a valid {what}: it has an empty label (two dots in a row, or a leading or trailing dot)";
            if (label.Length > 63) return $"\"{name}\" is not a valid {what}: label \"{label}\" is {label.Length} characters, at most 63 allowed";
            if (!label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                return $"\"{name}\" is not a valid {what}: label \"{label}\" may only contain letters, digits and '-'";
            if (label.StartsWith('-') || label.EndsWith('-'))
                return $"\"{name}\" is not a valid {what}: label \"{label}\" must not start or end with '-'";
        }
        return null;
    }

    /// <summary>A Kubernetes namespace name, an RFC 1123 label: 1..63 lowercase letters, digits and '-', starting
    /// and ending with a letter or digit (what the API server accepts).</summary>
    public static string? NamespaceProblem(string name)
    {
        if (name.Length == 0) return "the namespace name is empty";
        if (name.Length > 63) return $"\"{name}\" is not a valid namespace name: {name.Length} characters, at most 63 allowed";
        if (!name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            return $"\"{name}\" is not a valid namespace name: only lowercase letters, digits and '-' are allowed (an RFC 1123 label)";
        if (name.StartsWith('-') || name.EndsWith('-'))
            return $"\"{name}\" is not a valid namespace name: it must start and end with a letter or digit";
        return null;
    }

    /// <summary>host:port with host an IPv4 address, a bracketed IPv6 address or a DNS name; port 1..65535.</summary>
    public static string? HostPortProblem(string text)
    {
        string host, portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close < 0 || close + 1 >= text.Length || text[close + 1] != ':')
                return $"\"{text}\" is not host:port; write IPv6 as [2001:db8::1]:PORT";
            host = text[1..close];
            portText = text[(close + 2)..];
            if (!TryParseIp(host, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                return $"\"{text}\" is not host:port: \"{host}\" in brackets must be an IPv6 address";
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon < 0) return $"\"{text}\" is not host:port: the port is missing";
            host = text[..colon];
            portText = text[(colon + 1)..];
            if (host.Contains(':')) return $"\"{text}\" is not host:port: put an IPv6 address in brackets, e.g. [{host}]:{portText}";
            if (host.Length == 0) return $"\"{text}\" is not host:port: the host is missing (use 0.0.0.0:{portText} for every address)";
            if (!TryParseIp(host, out _) && (host.All(c => char.IsAsciiDigit(c) || c == '.') || HostnameProblem(host) is not null))
                return $"\"{text}\" is not host:port: \"{host}\" is neither an IP address nor a valid host name";
        }
        if (!ushort.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
            return $"\"{text}\" is not host:port: port \"{portText}\" must be 1..65535";
        return null;
    }

    /// <summary>A standard BGP community: "asn:value" with two 16-bit numbers, or a well-known name.</summary>
    public static string? CommunityProblem(string text)
    {
        if (WellKnownCommunities.Contains(text, StringComparer.OrdinalIgnoreCase)) return null;
        var parts = text.Split(':');
        if (parts.Length != 2 || !parts.All(p => ushort.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return $"\"{text}\" is not a BGP community: write \"ASN:VALUE\" with both parts 0..65535, or one of {string.Join(", ", WellKnownCommunities)}";
        return null;
    }

    /// <summary>A large community (RFC 8092): three 32-bit numbers "global:local1:local2".</summary>
    public static string? LargeCommunityProblem(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3 || !parts.All(p => uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            return $"\"{text}\" is not a BGP large community: write \"GLOBAL:LOCAL1:LOCAL2\" with each part 0..4294967295";
        return null;
    }

    /// <summary>A WireGuard key: base64 of exactly 32 bytes (what `wg genkey` prints).</summary>
    public static string? WireguardKeyProblem(string text, string what)
    {
        var buffer = new byte[64];
        if (!Convert.TryFromBase64String(text, buffer, out var length))
            return $"{what} is not valid base64 (generate one with `wg genkey`)";
        return length == 32 ? null : $"{what} decodes to {length} bytes; a WireGuard key is exactly 32 bytes";
    }
}
