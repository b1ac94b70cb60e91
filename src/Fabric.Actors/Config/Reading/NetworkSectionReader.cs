namespace Fabric.Actors.Config;

/// <summary>v1alpha1 `machine.network`: host-wide settings and the interfaces[] list.</summary>
internal static class NetworkSectionReader
{
    public static readonly string[] Keys =
        ["hostname", "interfaces", "nameservers", "searchDomains", "extraHostEntries", "kubespan", "disableSearchDomain"];
    private static readonly string[] HostEntryKeys = ["ip", "aliases"];

    public static void Read(YNode node, NetworkBuilder network)
    {
        if (node.AsMap(Keys) is not { } section) return;

        if (section["hostname"] is { } hostname)
            HostSettings.Hostname(hostname, network);
        if (section["nameservers"] is { } nameservers)
            HostSettings.Nameservers(nameservers.AsList("IP addresses"), n => n, nameservers.Origin, network);
        if (section["searchDomains"] is { } domains)
            HostSettings.SearchDomains(domains, network);
        if (section.Bool("disableSearchDomain") is { } disable)
            network.DisableSearchDomain = disable;

        foreach (var item in section.List("extraHostEntries", "{ip, aliases} entries"))
        {
            if (item.AsMap(HostEntryKeys) is not { } entry) continue;
            HostSettings.HostEntry(entry, "ip", "aliases", network);
        }

        // kubespan is Talos's own mesh; Fabric neither needs nor checks it.
        foreach (var device in section.List("interfaces", "interfaces"))
            DeviceReader.Read(device, network);
    }
}
