using System.Net;
using System.Text.Json.Serialization;

namespace Fabric.Vip.Hcloud;

/// <summary>A floating IP as listed by <c>GET /floating_ips</c>. <see cref="Ip"/> is an address for ipv4 and a
/// network ("2001:db8::/64") for ipv6.</summary>
public sealed record HcloudFloatingIp(long Id, string? Name, string Ip, string Type, long? Server)
{
    /// <summary>True when the VIP is this floating IP (ipv4) or lies in its network (ipv6).</summary>
    public bool Contains(IPAddress vip)
    {
        if (IPNetwork.TryParse(Ip, out var network))
            return network.Contains(vip);
        return IPAddress.TryParse(Ip, out var address) && address.Equals(vip);
    }
}

public sealed record HcloudActionResource(long Id, string Type);

public sealed record HcloudActionError(string? Code, string? Message);

/// <summary>An asynchronous operation; "running" until it ends in "success" or "error".</summary>
public sealed record HcloudAction(
    long Id,
    string Command,
    string Status,
    int Progress,
    DateTimeOffset? Started,
    DateTimeOffset? Finished,
    IReadOnlyList<HcloudActionResource>? Resources,
    HcloudActionError? Error)
{
    public const string Running = "running";
    public const string Success = "success";
    public const string Failed = "error";
}

public sealed record HcloudPrivateNet(long Network, string? Ip, IReadOnlyList<string>? AliasIps)
{
    public bool HasAlias(IPAddress vip) =>
        AliasIps?.Any(a => IPAddress.TryParse(a, out var ip) && ip.Equals(vip)) == true;
}

public sealed record HcloudServer(long Id, string? Name, IReadOnlyList<HcloudPrivateNet>? PrivateNet)
{
    public HcloudPrivateNet? OnNetwork(long networkId) => PrivateNet?.FirstOrDefault(n => n.Network == networkId);
}

internal sealed record HcloudPagination(int Page, int? NextPage, int? LastPage, int? TotalEntries);

internal sealed record HcloudMeta(HcloudPagination? Pagination);

internal sealed record HcloudFloatingIpList(
    [property: JsonPropertyName("floating_ips")] IReadOnlyList<HcloudFloatingIp> FloatingIps, HcloudMeta? Meta);

internal sealed record HcloudServerList(IReadOnlyList<HcloudServer> Servers, HcloudMeta? Meta);

internal sealed record HcloudServerEnvelope(HcloudServer Server);

internal sealed record HcloudActionEnvelope(HcloudAction Action);

internal sealed record HcloudAssignRequest(long Server);

internal sealed record HcloudChangeAliasIpsRequest(long Network, IReadOnlyList<string> AliasIps);
