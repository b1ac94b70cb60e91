using System.Globalization;
using Fabric.Vip.Bgp.Codec;

namespace Fabric.Vip.Bgp.Speaker;

/// <summary>Config text of communities: "asn:value", well-known names (RFC 1997, 7999, 8326), "global:l1:l2" (RFC 8092).</summary>
public static class BgpCommunityText
{
    private static readonly Dictionary<string, uint> WellKnown = new(StringComparer.OrdinalIgnoreCase)
    {
        ["graceful-shutdown"] = 0xFFFF0000, ["blackhole"] = 0xFFFF029A, ["no-export"] = 0xFFFFFF01,
        ["no-advertise"] = 0xFFFFFF02, ["no-export-subconfed"] = 0xFFFFFF03, ["local-as"] = 0xFFFFFF03, ["no-peer"] = 0xFFFFFF04,
    };

    public static bool TryParse(string text, out uint community)
    {
        community = 0;
        if (WellKnown.TryGetValue(text.Trim(), out community)) return true;
        var parts = text.Split(':');
        if (parts.Length != 2
            || !ushort.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var high)
            || !ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var low)) return false;
        community = (uint)high << 16 | low;
        return true;
    }

    public static bool TryParseLarge(string text, out BgpLargeCommunity community)
    {
        community = default;
        var parts = text.Split(':');
        if (parts.Length != 3) return false;
        var ok = uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var g)
                 & uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var l1)
                 & uint.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var l2);
        community = new BgpLargeCommunity(g, l1, l2);
        return ok;
    }

    public static string Format(uint community) =>
        WellKnown.FirstOrDefault(kv => kv.Value == community && kv.Key != "local-as").Key ?? $"{community >> 16}:{community & 0xFFFF}";
}
