using Fabric.Vip.LoadBalancer.Allocation;

namespace Fabric.Vip.LoadBalancer.Config;

public static class IpAddressPoolReader
{
    private static readonly string[] SpecFields = ["addresses", "autoAssign", "avoidBuggyIPs", "serviceAllocation"];
    private static readonly string[] AllocationFields = ["priority", "namespaces", "namespaceSelectors", "serviceSelectors"];

    public static IpAddressPool Read(DocReader r, string name, DocNode document, string at)
    {
        var spec = document["spec"];
        var path = $"{at}.spec";
        if (spec is null) { r.Error(document, at, "spec is required"); spec = new DocNode { Kind = DocNodeKind.Null, Location = document.Location }; }
        r.Map(spec, path, SpecFields);
        var texts = new List<string>();
        var ranges = new List<AddressRange>();
        var items = r.List(spec["addresses"], $"{path}.addresses");
        if (items.Count == 0) r.Error(spec, $"{path}.addresses", "a pool needs at least one address range or CIDR");
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}.addresses[{i}]";
            if (r.String(items[i], itemPath) is not { } text) continue;
            if (!AddressRange.TryParse(text, out var range, out var error)) { r.Error(items[i], itemPath, error); continue; }
            var clash = ranges.FindIndex(other => other.Overlaps(range));
            if (clash >= 0) { r.Error(items[i], itemPath, $"{text} overlaps {texts[clash]} in the same pool"); continue; }
            texts.Add(text);
            ranges.Add(range);
        }
        return new IpAddressPool
        {
            Name = name,
            Labels = r.StringMap(document["metadata"]?["labels"], $"{at}.metadata.labels"),
            Addresses = texts,
            Ranges = ranges,
            AutoAssign = r.Bool(spec["autoAssign"], $"{path}.autoAssign") ?? true,
            AvoidBuggyIps = r.Bool(spec["avoidBuggyIPs"], $"{path}.avoidBuggyIPs") ?? false,
            ServiceAllocation = spec["serviceAllocation"] is { Kind: DocNodeKind.Map } allocation
                ? ReadAllocation(r, allocation, $"{path}.serviceAllocation") : null,
            Location = document.Location,
        };
    }

    private static ServiceAllocationRule ReadAllocation(DocReader r, DocNode node, string path)
    {
        r.Map(node, path, AllocationFields);
        return new ServiceAllocationRule
        {
            Priority = (int?)r.Integer(node["priority"], $"{path}.priority", 0, int.MaxValue),
            Namespaces = r.Strings(node["namespaces"], $"{path}.namespaces"),
            NamespaceSelectors = LabelSelectorReader.ReadList(r, node["namespaceSelectors"], $"{path}.namespaceSelectors"),
            ServiceSelectors = LabelSelectorReader.ReadList(r, node["serviceSelectors"], $"{path}.serviceSelectors"),
        };
    }
}
