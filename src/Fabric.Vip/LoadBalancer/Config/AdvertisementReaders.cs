using System.Globalization;

namespace Fabric.Vip.LoadBalancer.Config;

public static class L2AdvertisementReader
{
    private static readonly string[] SpecFields = ["ipAddressPools", "ipAddressPoolSelectors", "nodeSelectors", "interfaces"];

    public static L2Advertisement Read(DocReader r, string name, DocNode document, string at)
    {
        var spec = document["spec"] ?? new DocNode { Kind = DocNodeKind.Null, Location = document.Location };
        var path = $"{at}.spec";
        r.Map(spec, path, SpecFields);
        return new L2Advertisement
        {
            Name = name,
            IpAddressPools = r.Strings(spec["ipAddressPools"], $"{path}.ipAddressPools"),
            IpAddressPoolSelectors = LabelSelectorReader.ReadList(r, spec["ipAddressPoolSelectors"], $"{path}.ipAddressPoolSelectors"),
            NodeSelectors = LabelSelectorReader.ReadList(r, spec["nodeSelectors"], $"{path}.nodeSelectors"),
            Interfaces = r.Strings(spec["interfaces"], $"{path}.interfaces"),
            Location = document.Location,
        };
    }
}

public static class BgpAdvertisementReader
{
    private static readonly string[] SpecFields =
        ["aggregationLength", "aggregationLengthV6", "localPref", "communities", "ipAddressPools", "ipAddressPoolSelectors", "nodeSelectors", "peers"];

    /// <summary>Communities stay as written here (aliases unresolved); <see cref="LoadBalancerConfigReader"/>
    /// resolves them once every Community document is known.</summary>
    public static BgpAdvertisement Read(DocReader r, string name, DocNode document, string at)
    {
        var spec = document["spec"] ?? new DocNode { Kind = DocNodeKind.Null, Location = document.Location };
        var path = $"{at}.spec";
        r.Map(spec, path, SpecFields);
        return new BgpAdvertisement
        {
            Name = name,
            AggregationLength = (int?)r.Integer(spec["aggregationLength"], $"{path}.aggregationLength", 0, 32) ?? 32,
            AggregationLengthV6 = (int?)r.Integer(spec["aggregationLengthV6"], $"{path}.aggregationLengthV6", 0, 128) ?? 128,
            LocalPref = (uint?)r.Integer(spec["localPref"], $"{path}.localPref", 0, uint.MaxValue),
            Communities = r.Strings(spec["communities"], $"{path}.communities"),
            IpAddressPools = r.Strings(spec["ipAddressPools"], $"{path}.ipAddressPools"),
            IpAddressPoolSelectors = LabelSelectorReader.ReadList(r, spec["ipAddressPoolSelectors"], $"{path}.ipAddressPoolSelectors"),
            NodeSelectors = LabelSelectorReader.ReadList(r, spec["nodeSelectors"], $"{path}.nodeSelectors"),
            Peers = r.Strings(spec["peers"], $"{path}.peers"),
            Location = document.Location,
        };
    }
}

public static class CommunityReader
{
    private static readonly string[] SpecFields = ["communities"];
    private static readonly string[] EntryFields = ["name", "value"];

    public static CommunityAliases Read(DocReader r, string name, DocNode document, string at)
    {
        var spec = document["spec"] ?? new DocNode { Kind = DocNodeKind.Null, Location = document.Location };
        var path = $"{at}.spec";
        r.Map(spec, path, SpecFields);
        var values = new Dictionary<string, string>();
        var entries = r.List(spec["communities"], $"{path}.communities");
        for (var i = 0; i < entries.Count; i++)
        {
            var entryPath = $"{path}.communities[{i}]";
            r.Map(entries[i], entryPath, EntryFields);
            var alias = r.String(entries[i]["name"], $"{entryPath}.name");
            var value = r.String(entries[i]["value"], $"{entryPath}.value");
            if (string.IsNullOrEmpty(alias) || value is null) { r.Error(entries[i], entryPath, "name and value are required"); continue; }
            if (!CommunityValue.IsLiteral(value, out var error)) { r.Error(entries[i]["value"]!, $"{entryPath}.value", error); continue; }
            if (!values.TryAdd(alias, value)) r.Error(entries[i], $"{entryPath}.name", $"alias {alias} is defined twice");
        }
        return new CommunityAliases { Name = name, Values = values, Location = document.Location };
    }
}

/// <summary>The literal community forms MetalLB accepts: "65000:100" (two 16-bit halves) and
/// "large:global:local1:local2" (three 32-bit parts).</summary>
public static class CommunityValue
{
    public static bool IsLiteral(string text, out string error)
    {
        error = "";
        var parts = text.Split(':');
        if (parts[0] == "large")
        {
            if (parts.Length == 4 && parts.Skip(1).All(p => uint.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))) return true;
            error = $"\"{text}\" is not a large community (large:global:local1:local2, each 0..4294967295)";
            return false;
        }
        if (parts.Length == 2 && parts.All(p => ushort.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _))) return true;
        error = $"\"{text}\" is not a community (asn:value, each 0..65535, or large:global:local1:local2)";
        return false;
    }

    /// <summary>Looks like an attempt at a literal (has a colon) rather than an alias name.</summary>
    public static bool LooksLiteral(string text) => text.Contains(':');
}
