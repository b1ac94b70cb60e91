namespace Fabric.Actors.Config;

/// <summary>One v1alpha1 `machine.network.interfaces[]` entry (a Talos "Device") and its vlans[].</summary>
internal static class DeviceReader
{
    public static readonly string[] DeviceKeys =
    [
        "interface", "deviceSelector", "addresses", "cidr", "routes", "mtu", "dhcp", "dhcpOptions", "ignore", "dummy",
        "vlans", "bond", "bridge", "bridgePort", "wireguard", "vip",
    ];
    public static readonly string[] SelectorKeys = ["busPath", "hardwareAddr", "permanentAddr", "pciID", "driver", "physical"];
    private static readonly string[] VlanKeys = ["vlanId", "addresses", "routes", "dhcp", "mtu", "vip", "dhcpOptions"];
    private static readonly string[] DhcpOptionKeys = ["routeMetric", "ipv4", "ipv6", "duidv6"];
    private static readonly string[] BridgeKeys = ["interfaces", "stp", "vlan"];

    public static void Read(YNode node, NetworkBuilder network)
    {
        if (node.AsMap(DeviceKeys, "an interface (a mapping with interface: NAME or deviceSelector: ...)") is not { } device) return;

        var nameNode = device["interface"];
        var name = nameNode?.AsString();
        if (name is "") { nameNode!.Value.Error("interface name is empty"); name = null; }
        var selectorMap = device.Map("deviceSelector", SelectorKeys);
        var selector = selectorMap is null ? null : Selector(selectorMap);
        if (nameNode is null && !device.Has("deviceSelector"))
            device.Error("each interface needs either \"interface: NAME\" or a \"deviceSelector\"");
        else if (nameNode is not null && device.Has("deviceSelector"))
        {
            device["deviceSelector"]!.Value.Error("set either interface or deviceSelector, not both");
            selector = null;
        }

        var kind = Kind(device);
        var bond = device.Map("bond", BondReader.LegacyKeys) is { } bondMap ? BondReader.Legacy(bondMap, name, network) : null;
        var bridge = device.Map("bridge", BridgeKeys) is { } bridgeMap ? Bridge(bridgeMap, name, network) : null;
        var wireguard = device.Map("wireguard", WireguardReader.LegacyKeys) is { } wgMap
            ? WireguardReader.Read(wgMap, WireguardReader.LegacyPeerKeys) : null;
        if (name is null && (bond is not null || bridge is not null))
            device.Error("a bond or bridge must be named with interface: NAME; a deviceSelector cannot create one");
        DhcpOptions(device);

        var link = new LinkEntry
        {
            Definition = new LinkDefinition
            {
                Name = name,
                Selector = selector,
                Kind = kind,
                Mtu = LinkPartsReader.Mtu(device),
                Dhcp = device.Bool("dhcp") ?? false,
                Ignore = device.Bool("ignore") ?? false,
                Bond = bond,
                Bridge = bridge,
                Wireguard = wireguard,
                Location = device.Location,
            },
            Origin = device.Self.Origin,
            MtuOrigin = device["mtu"]?.Origin,
        };
        network.Links.Add(link);

        if (device.Map("bridgePort", ["master"]) is { } port && port["master"] is { } masterNode && masterNode.AsString() is { } master)
        {
            if (name is null) masterNode.Error("bridgePort needs the interface named with interface: NAME");
            else network.Ports.Add(new PortEntry(name, master, masterNode.Origin));
        }

        LinkPartsReader.LegacyAddresses(device, link, network);
        LinkPartsReader.LegacyRoutes(device, link, network);
        LinkPartsReader.LegacyVip(device, link, network);

        foreach (var vlan in device.List("vlans", "VLANs"))
            Vlan(vlan, link, network);
    }

    public static DeviceSelector? Selector(YMap map)
    {
        var selector = new DeviceSelector
        {
            BusPath = map.String("busPath"),
            HardwareAddr = map.String("hardwareAddr"),
            PermanentAddr = map.String("permanentAddr"),
            PciId = map.String("pciID"),
            Driver = map.String("driver"),
            Physical = map.Bool("physical"),
        };
        if (selector == new DeviceSelector())
        {
            map.Error("an empty deviceSelector would match every link; give at least one of " + string.Join(", ", SelectorKeys));
            return null;
        }
        return selector;
    }

    /// <summary>bond, bridge, wireguard and dummy each make a different kind of link, so at most one may be given.</summary>
    private static LinkKind Kind(YMap device)
    {
        var kinds = new List<(string Key, LinkKind Kind)>();
        if (device.Has("bond")) kinds.Add(("bond", LinkKind.Bond));
        if (device.Has("bridge")) kinds.Add(("bridge", LinkKind.Bridge));
        if (device.Has("wireguard")) kinds.Add(("wireguard", LinkKind.Wireguard));
        if (device["dummy"] is { } dummy && dummy.AsBool() == true) kinds.Add(("dummy", LinkKind.Dummy));
        if (kinds.Count > 1)
            device[kinds[1].Key]!.Value.Error($"an interface is one kind of link: {kinds[0].Key} and {kinds[1].Key} cannot be combined");
        return kinds.Count == 0 ? LinkKind.Physical : kinds[0].Kind;
    }

    private static BridgeDefinition Bridge(YMap bridge, string? bridgeName, NetworkBuilder network)
    {
        var ports = new List<string>();
        foreach (var item in bridge.List("interfaces", "link names"))
        {
            if (item.AsString() is not { } port) continue;
            ports.Add(port);
            if (bridgeName is not null) network.Ports.Add(new PortEntry(port, bridgeName, item.Origin));
        }
        var stp = bridge.Map("stp", ["enabled"])?.Bool("enabled") ?? false;
        var filtering = bridge.Map("vlan", ["vlanFiltering"])?.Bool("vlanFiltering") ?? false;
        return new BridgeDefinition { Interfaces = ports, Stp = stp, VlanFiltering = filtering };
    }

    private static void DhcpOptions(YMap map)
    {
        if (map.Map("dhcpOptions", DhcpOptionKeys) is not { } options) return;
        options.UInt("routeMetric", 0, uint.MaxValue, "routeMetric");
        options.Bool("ipv4");
        options.Bool("ipv6");
        options.String("duidv6");
    }

    private static void Vlan(YNode node, LinkEntry parent, NetworkBuilder network)
    {
        if (node.AsMap(VlanKeys, "a VLAN (vlanId: N, ...)") is not { } vlan) return;
        var idNode = vlan["vlanId"];
        var id = (ushort?)idNode?.AsUInt(1, 4094, "VLAN id");
        if (idNode is null) vlan.Error("vlanId is required (1..4094)");
        DhcpOptions(vlan);
        if (parent.Definition.Name is not { } parentName)
        {
            vlan.Error("VLANs need a named parent: give the interface a name instead of a deviceSelector, or use a VLANConfig document");
            return;
        }
        if (id is null) return;

        var link = new LinkEntry
        {
            Definition = new LinkDefinition
            {
                Name = $"{parentName}.{id}",
                Kind = LinkKind.Vlan,
                Vlan = new VlanDefinition(parentName, id.Value),
                Mtu = LinkPartsReader.Mtu(vlan),
                Dhcp = vlan.Bool("dhcp") ?? false,
                Location = vlan.Location,
            },
            Origin = vlan.Self.Origin,
            MtuOrigin = vlan["mtu"]?.Origin,
            VlanIdOrigin = idNode?.Origin,
        };
        network.Links.Add(link);
        LinkPartsReader.LegacyAddresses(vlan, link, network);
        LinkPartsReader.LegacyRoutes(vlan, link, network);
        LinkPartsReader.LegacyVip(vlan, link, network);
    }
}
