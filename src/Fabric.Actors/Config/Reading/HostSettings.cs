using System.Net;

namespace Fabric.Actors.Config;

/// <summary>Hostname, resolvers and /etc/hosts entries, shared with HostnameConfig, ResolverConfig and StaticHostConfig.</summary>
internal static class HostSettings
{
    public static void Hostname(YNode node, NetworkBuilder network)
    {
        if (node.AsString() is not { } name) return;
        if (ValueRules.HostnameProblem(name) is { } problem) { node.Error(problem); return; }
        if (network.Claim("hostname", node.Origin)) network.Hostname = name;
    }

    /// <summary>Each item is picked by <paramref name="address"/>: the v1alpha1 list holds IPs, ResolverConfig holds {address}.</summary>
    public static void Nameservers(IReadOnlyList<YNode> items, Func<YNode, YNode?> address, Origin origin, NetworkBuilder network)
    {
        var found = new List<IPAddress>();
        foreach (var item in items)
        {
            if (address(item) is not { } node || node.AsString() is not { } text) continue;
            if (ValueRules.TryParseIp(text, out var ip)) found.Add(ip);
            else node.Error($"nameserver \"{text}\" is not an IP address (a resolver must be reachable without DNS)");
        }
        if (network.Claim("nameservers", origin)) network.Nameservers.AddRange(found);
    }

    public static void SearchDomains(YNode node, NetworkBuilder network)
    {
        var found = new List<string>();
        foreach (var item in node.AsList("domain names"))
        {
            if (item.AsString() is not { } domain) continue;
            if (ValueRules.HostnameProblem(domain, "search domain") is { } problem) item.Error(problem);
            else found.Add(domain);
        }
        if (network.Claim("searchDomains", node.Origin)) network.SearchDomains.AddRange(found);
    }

    public static void HostEntry(YMap entry, string ipKey, string aliasesKey, NetworkBuilder network)
    {
        var ipNode = entry[ipKey];
        if (ipNode is null) entry.Error($"{ipKey} is required");
        var ip = ipNode?.AsIp();
        var aliases = new List<string>();
        foreach (var item in entry.List(aliasesKey, "host names"))
        {
            if (item.AsString() is not { } alias) continue;
            if (ValueRules.HostnameProblem(alias) is { } problem) item.Error(problem);
            else aliases.Add(alias);
        }
        if (aliases.Count == 0 && ipNode is not null && !entry.Has(aliasesKey))
            entry.Error($"{aliasesKey} must list at least one host name for {ipNode.Value.AsString()}");
        if (ip is not null) network.HostEntries.Add(new HostEntry(ip, aliases));
    }
}
