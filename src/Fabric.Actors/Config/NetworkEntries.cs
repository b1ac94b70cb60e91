namespace Fabric.Actors.Config;

/// <summary>A link as read, with the origins later cross-checks need to point at.</summary>
internal sealed class LinkEntry
{
    public required LinkDefinition Definition { get; set; }
    /// <summary>The mapping that declared the link (an interfaces[] item or a document).</summary>
    public required Origin Origin { get; init; }
    public Origin? MtuOrigin { get; init; }
    public Origin? VlanIdOrigin { get; init; }
    /// <summary>Created only because a bridge or bond names it as a port.</summary>
    public bool Implied { get; init; }

    /// <summary>Identity for grouping addresses and routes: the name, or the declaring path for selector-matched devices.</summary>
    public string Key => Definition.Name ?? "selector@" + Origin.Path;
    public string Display => Definition.Name ?? $"the device matched by {Origin.Path}.deviceSelector";
}

internal sealed record AddressEntry(AddressDefinition Definition, string LinkKey, Origin Origin);
internal sealed record RouteEntry(RouteDefinition Definition, string LinkKey, Origin Origin, Origin? GatewayOrigin);
internal sealed record VipEntry(VipDefinition Definition, string LinkKey, Origin Origin);
/// <summary>"Port is enslaved to Master", from bridge.interfaces, bond.interfaces, bridgePort.master or a document's links.</summary>
internal sealed record PortEntry(string Port, string Master, Origin Origin);
