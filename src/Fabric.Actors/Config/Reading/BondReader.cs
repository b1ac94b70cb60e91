using System.Net;

namespace Fabric.Actors.Config;

/// <summary>Bond options, shared by v1alpha1 `bond:` and the BondConfig document (which renames a few keys).</summary>
internal static class BondReader
{
    /// <summary>Kernel bond options Talos accepts; the ones the model does not carry are checked for type only where cheap.</summary>
    public static readonly string[] LegacyKeys =
    [
        "interfaces", "deviceSelectors", "arpIPTarget", "mode", "xmitHashPolicy", "lacpRate", "adActorSystem",
        "arpValidate", "arpAllTargets", "primary", "primaryReselect", "failOverMac", "adSelect", "miimon", "updelay",
        "downdelay", "arpInterval", "resendIgmp", "minLinks", "lpInterval", "packetsPerSlave", "numPeerNotif",
        "tlbDynamicLb", "allSlavesActive", "useCarrier", "adActorSysPrio", "adUserPortKey", "peerNotifyDelay",
    ];

    public static readonly string[] DocumentOptionKeys =
    [
        "links", "bondMode", "miimon", "updelay", "downdelay", "useCarrier", "xmitHashPolicy", "arpInterval",
        "arpIpTargets", "nsIp6Targets", "arpValidate", "arpAllTargets", "lacpRate", "failOverMac", "adSelect",
        "adActorSysPrio", "adUserPortKey", "adLACPActive", "primary", "primaryReselect", "resendIGMP", "minLinks",
        "lpInterval", "packetsPerSlave", "numPeerNotif", "tlbLogicalLb", "allSlavesActive", "peerNotifyDelay", "missedMax",
    ];

    /// <summary>Reads v1alpha1 `bond:`; member names become ports of <paramref name="bondName"/>.</summary>
    public static BondDefinition Legacy(YMap bond, string? bondName, NetworkBuilder network)
    {
        var members = Members(bond, "interfaces", bondName, network);
        var selectors = bond.List("deviceSelectors", "device selectors")
            .Select(n => n.AsMap(DeviceReader.SelectorKeys) is { } m ? DeviceReader.Selector(m) : null)
            .OfType<DeviceSelector>().ToList();
        if (members.Count == 0 && selectors.Count == 0 && !bond.Has("interfaces") && !bond.Has("deviceSelectors"))
            bond.Error("a bond needs member links: list them under interfaces or deviceSelectors");
        else if (members.Count == 0 && selectors.Count == 0)
            bond.Error("a bond needs at least one member link");
        return Options(bond, "mode", "arpIPTarget") with { Interfaces = members, DeviceSelectors = selectors };
    }

    /// <summary>Reads a BondConfig document's bond options (its link fields are read by the document reader).</summary>
    public static BondDefinition Document(YMap document, string? bondName, NetworkBuilder network)
    {
        var members = Members(document, "links", bondName, network);
        if (members.Count == 0)
        {
            const string message = "a bond needs member links: list them under links";
            if (document["links"] is { } links) links.Error(message); else document.Error(message);
        }
        return Options(document, "bondMode", "arpIpTargets") with { Interfaces = members };
    }

    private static List<string> Members(YMap map, string key, string? bondName, NetworkBuilder network)
    {
        var members = new List<string>();
        foreach (var item in map.List(key, "link names"))
        {
            if (item.AsString() is not { } name) continue;
            if (name.Length == 0) { item.Error("member link name is empty"); continue; }
            members.Add(name);
            if (bondName is not null) network.Ports.Add(new PortEntry(name, bondName, item.Origin));
        }
        return members;
    }

    private static BondDefinition Options(YMap map, string modeKey, string arpKey)
    {
        var definition = new BondDefinition
        {
            Mode = OneOf(map, modeKey, ValueRules.BondModes, "bond mode") ?? "balance-rr",
            XmitHashPolicy = OneOf(map, "xmitHashPolicy", ValueRules.XmitHashPolicies, "xmitHashPolicy"),
            LacpRate = OneOf(map, "lacpRate", ValueRules.LacpRates, "lacpRate"),
            MiiMon = (uint?)map.UInt("miimon", 0, uint.MaxValue, "miimon"),
            UpDelay = (uint?)map.UInt("updelay", 0, uint.MaxValue, "updelay"),
            DownDelay = (uint?)map.UInt("downdelay", 0, uint.MaxValue, "downdelay"),
            MinLinks = (uint?)map.UInt("minLinks", 0, uint.MaxValue, "minLinks"),
            Primary = map.String("primary"),
            AdActorSystem = map.String("adActorSystem"),
            ArpIpTargets = map.List(arpKey, "IPv4 addresses").Select(n => n.AsIp()).OfType<IPAddress>().ToList(),
        };
        return definition;
    }

    private static string? OneOf(YMap map, string key, string[] allowed, string what)
    {
        if (map[key] is not { } node || node.AsString() is not { } value) return null;
        if (allowed.Contains(value)) return value;
        node.Error($"unknown {what} \"{value}\" (valid: {string.Join(", ", allowed)})");
        return null;
    }
}
