using System.Text;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>The text of /etc/hosts and /etc/resolv.conf, from the hostname, resolvers and static host entries.</summary>
public static class EtcFileRenderer
{
    private const string Header = "# Written by fabric: edits here are overwritten; change the machine config instead.\n";

    public static string Hosts(HostnameStatus? hostname, HostsSpec? extra)
    {
        var text = new StringBuilder(Header);
        text.Append("127.0.0.1\tlocalhost\n");
        if (hostname is { Hostname: not "" } h)
            text.Append("127.0.1.1\t").Append(h.Domainname == "" ? h.Hostname : $"{h.Hostname}.{h.Domainname} {h.Hostname}").Append('\n');
        text.Append("::1\tlocalhost ip6-localhost ip6-loopback\n");
        text.Append("ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n");
        foreach (var entry in extra?.Entries ?? [])
            text.Append(entry.Ip).Append('\t').AppendJoin(' ', entry.Aliases).Append('\n');
        return text.ToString();
    }

    public static string ResolvConf(ResolverStatus? resolvers)
    {
        var text = new StringBuilder(Header);
        foreach (var server in resolvers?.DnsServers ?? []) text.Append("nameserver ").Append(server).Append('\n');
        if (resolvers is { SearchDomains.Count: > 0 }) text.Append("search ").AppendJoin(' ', resolvers.SearchDomains).Append('\n');
        return text.ToString();
    }
}
