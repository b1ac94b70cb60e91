using System.Net;
using System.Text.Json.Serialization;

namespace Fabric.Vip.EquinixMetal;

/// <summary>A link to another API object; the id is the last path segment ("/metal/v1/devices/&lt;id&gt;").</summary>
public sealed record EquinixHref(string? Href)
{
    public string? Id => Href?.TrimEnd('/').Split('/').LastOrDefault() is { Length: > 0 } id ? id : null;
}

/// <summary>An IP assignment. The project IP list may carry only <see cref="Href"/>; <c>GET /ips/{id}</c>
/// returns the address and the device.</summary>
public sealed record EquinixIpAssignment(
    string? Id, string? Href, string? Address, int? Cidr, [property: JsonPropertyName("assigned_to")] EquinixHref? AssignedTo)
{
    public string? AssignmentId => Id ?? new EquinixHref(Href).Id;

    public string? DeviceId => AssignedTo?.Id;

    public bool IsComplete => Address is not null && AssignedTo?.Href is not null;

    public bool Is(IPAddress vip) => IPAddress.TryParse(Address, out var ip) && ip.Equals(vip);
}

/// <summary>An IP reservation (a block) of the project, with its current assignments.</summary>
public sealed record EquinixIpReservation(
    string Id, string? Address, string? Network, int? Cidr, IReadOnlyList<EquinixIpAssignment>? Assignments)
{
    public bool Contains(IPAddress vip)
    {
        var start = Network ?? Address;
        if (start is null || !IPAddress.TryParse(start, out var first))
            return false;
        var prefix = Cidr ?? (first.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 128 : 32);
        try
        {
            return new IPNetwork(first, prefix).Contains(vip);
        }
        catch (ArgumentException)
        {
            // Address with host bits set: only an exact match can be meant.
            return first.Equals(vip);
        }
    }
}

public sealed record EquinixProjectRef(string? Id, string? Href)
{
    public string? ProjectId => Id ?? new EquinixHref(Href).Id;
}

public sealed record EquinixDevice(string Id, string? Hostname, EquinixProjectRef? Project);

internal sealed record EquinixIpList([property: JsonPropertyName("ip_addresses")] IReadOnlyList<EquinixIpReservation>? IpAddresses);

internal sealed record EquinixMetadata(string? Id);

internal sealed record EquinixAssignRequest(string Address);
