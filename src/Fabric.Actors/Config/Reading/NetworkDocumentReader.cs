using YamlDotNet.RepresentationModel;

namespace Fabric.Actors.Config;

/// <summary>The Talos 1.12 multi-document network kinds (apiVersion: v1alpha1, kind: LinkConfig, ...).</summary>
internal static class NetworkDocumentReader
{
    private static readonly string[] Header = ["apiVersion", "kind"];
    private static readonly string[] LinkKeys = [.. Header, "name", "up", "mtu", "addresses", "routes", "multicast"];
    private static readonly string[] VirtualLinkKeys = [.. LinkKeys, "hardwareAddr"];

    private static readonly Dictionary<string, string[]> KeysByKind = new()
    {
        ["LinkConfig"] = LinkKeys,
        ["DummyLinkConfig"] = VirtualLinkKeys,
        ["BondConfig"] = [.. VirtualLinkKeys, .. BondReader.DocumentOptionKeys],
        ["BridgeConfig"] = [.. VirtualLinkKeys, "links", "stp", "vlan"],
        ["VLANConfig"] = [.. VirtualLinkKeys, "vlanID", "parent", "vlanMode"],
        ["WireguardConfig"] = [.. VirtualLinkKeys, .. WireguardReader.LegacyKeys],
        ["HostnameConfig"] = [.. Header, "hostname", "auto"],
        ["ResolverConfig"] = [.. Header, "nameservers", "searchDomains"],
        ["StaticHostConfig"] = [.. Header, "name", "hostnames"],
        ["Layer2VIPConfig"] = [.. Header, "name", "link"],
        ["HCloudVIPConfig"] = [.. Header, "name", "link", "apiToken"],
    };

    public static bool IsNetworkKind(string kind) => KeysByKind.ContainsKey(kind);

    public static void Read(ReadContext context, YamlMappingNode root, string kind, NetworkBuilder network)
    {
        // The path names the document by kind and name, since several documents share one file.
        var name = root.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: { Length: > 0 } v } ? v : null;
        var path = name is null ? kind : $"{kind}({name})";
        var document = new YNode(context, root, path).AsMap(KeysByKind[kind])!;

        switch (kind)
        {
            case "HostnameConfig": Hostname(document, network); return;
            case "ResolverConfig": Resolver(document, network); return;
            case "StaticHostConfig": HostSettings.HostEntry(document, "name", "hostnames", network); return;
            case "Layer2VIPConfig": Vip(document, VipAnnouncer.Layer2, network); return;
            case "HCloudVIPConfig": Vip(document, VipAnnouncer.HetznerCloud, network); return;
        }

        var linkName = document["name"] is { } nameNode ? nameNode.AsString() : null;
        if (string.IsNullOrEmpty(linkName)) { document.Error($"name is required: the link {kind} configures"); linkName = null; }
        var definition = new LinkDefinition
        {
            Name = linkName,
            Mtu = LinkPartsReader.Mtu(document),
            Up = document.Bool("up") ?? true,
            Location = document.Location,
        };
        definition = kind switch
        {
            "BondConfig" => definition with { Kind = LinkKind.Bond, Bond = BondReader.Document(document, linkName, network) },
            "BridgeConfig" => definition with { Kind = LinkKind.Bridge, Bridge = Bridge(document, linkName, network) },
            "VLANConfig" => definition with { Kind = LinkKind.Vlan, Vlan = Vlan(document) },
            "WireguardConfig" => definition with { Kind = LinkKind.Wireguard, Wireguard = WireguardReader.Read(document, WireguardReader.DocumentPeerKeys) },
            "DummyLinkConfig" => definition with { Kind = LinkKind.Dummy },
            _ => definition,
        };
        document.Bool("multicast");

        var link = new LinkEntry
        {
            Definition = definition,
            Origin = document.Self.Origin,
            MtuOrigin = document["mtu"]?.Origin,
            VlanIdOrigin = document["vlanID"]?.Origin,
        };
        network.Links.Add(link);
        LinkPartsReader.DocumentAddresses(document, link, network);
        LinkPartsReader.DocumentRoutes(document, link, network);
    }

    private static BridgeDefinition Bridge(YMap document, string? name, NetworkBuilder network)
    {
        var ports = new List<string>();
        foreach (var item in document.List("links", "link names"))
        {
            if (item.AsString() is not { } port) continue;
            ports.Add(port);
            if (name is not null) network.Ports.Add(new PortEntry(port, name, item.Origin));
        }
        return new BridgeDefinition
        {
            Interfaces = ports,
            Stp = document.Map("stp", ["enabled"])?.Bool("enabled") ?? false,
            VlanFiltering = document.Map("vlan", ["filtering"])?.Bool("filtering") ?? false,
        };
    }

    private static VlanDefinition? Vlan(YMap document)
    {
        var id = (ushort?)document.UInt("vlanID", 1, 4094, "VLAN id");
        if (!document.Has("vlanID")) document.Error("vlanID is required (1..4094)");
        var parent = document.String("parent");
        if (string.IsNullOrEmpty(parent)) document.Error("parent is required: the link the VLAN is tagged on");
        if (document["vlanMode"] is { } mode && mode.AsString() is { } text && text is not ("802.1q" or "802.1ad"))
            mode.Error($"unknown vlanMode \"{text}\" (valid: 802.1q, 802.1ad)");
        return id is null || string.IsNullOrEmpty(parent) ? null : new VlanDefinition(parent, id.Value);
    }

    private static void Hostname(YMap document, NetworkBuilder network)
    {
        if (document["auto"] is { } auto && auto.AsString() is { } mode && mode is not ("stable" or "off"))
            auto.Error($"unknown auto \"{mode}\" (valid: stable, off)");
        if (document.Has("hostname") && document.Has("auto"))
            document["auto"]!.Value.Error("set hostname or auto, not both");
        if (document["hostname"] is { } hostname) HostSettings.Hostname(hostname, network);
    }

    private static void Resolver(YMap document, NetworkBuilder network)
    {
        if (document["nameservers"] is { } nameservers)
            HostSettings.Nameservers(nameservers.AsList("{address: IP} entries"),
                item => item.AsMap(["address"]) is { } m ? m["address"] : null, nameservers.Origin, network);
        if (document.Map("searchDomains", ["domains", "disableDefault"]) is { } search)
        {
            if (search["domains"] is { } domains) HostSettings.SearchDomains(domains, network);
            if (search.Bool("disableDefault") is { } disable) network.DisableSearchDomain = disable;
        }
    }

    private static void Vip(YMap document, VipAnnouncer announcer, NetworkBuilder network)
    {
        var ipNode = document["name"];
        if (ipNode is null) { document.Error("name is required: the VIP address, e.g. name: 192.0.2.10"); }
        var ip = ipNode?.AsIp("a VIP address");
        var link = document.String("link");
        if (string.IsNullOrEmpty(link)) document.Error("link is required: the link the VIP is announced on");
        string? token = null;
        if (announcer == VipAnnouncer.HetznerCloud)
        {
            token = document.String("apiToken");
            if (string.IsNullOrEmpty(token)) document.Error("apiToken is required for a Hetzner Cloud VIP");
        }
        if (ip is null || string.IsNullOrEmpty(link)) return;
        var definition = new VipDefinition { Ip = ip, Link = link, Announcer = announcer, ApiToken = token, Location = ipNode!.Value.Location };
        network.Vips.Add(new VipEntry(definition, link, ipNode.Value.Origin));
    }
}
