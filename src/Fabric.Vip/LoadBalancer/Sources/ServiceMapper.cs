using System.Net;
using System.Net.Sockets;

namespace Fabric.Vip.LoadBalancer.Sources;

/// <summary>Turns the raw fields of a Service into what the allocator needs, applying the MetalLB annotations
/// (metallb.io/ and the older metallb.universe.tf/ prefix) and Kubernetes defaults.</summary>
public static class ServiceMapper
{
    private static readonly string[] Prefixes = ["metallb.io/", "metallb.universe.tf/"];
    private static readonly HashSet<string> Protocols = ["TCP", "UDP", "SCTP"];
    private static readonly HashSet<string> TrafficPolicies = ["Cluster", "Local"];
    private static readonly HashSet<string> FamilyPolicies = ["SingleStack", "PreferDualStack", "RequireDualStack"];
    private static readonly HashSet<string> Families = ["IPv4", "IPv6"];

    /// <param name="fabricClass">The loadBalancerClass Fabric answers to; null serves only services without a class.</param>
    public static ServiceMapResult Map(RawService raw, string? fabricClass)
    {
        if (raw.Type != "LoadBalancer") return ServiceMapResult.NotServed;
        // A service of another class belongs to another implementation; one without a class is ours only when
        // Fabric has no class of its own (MetalLB's rule, so two providers never fight over a service).
        var cls = string.IsNullOrEmpty(raw.LoadBalancerClass) ? null : raw.LoadBalancerClass;
        if (cls != fabricClass) return ServiceMapResult.NotServed;

        var problems = new List<ServiceProblem>();
        var ips = RequestedIps(raw, problems);
        var ports = Ports(raw, problems);
        var families = raw.IpFamilies.Count == 0 ? FamiliesOf(ips) : ValidFamilies(raw.IpFamilies, problems);
        Check(raw.ExternalTrafficPolicy, TrafficPolicies, "spec.externalTrafficPolicy", raw, problems);
        Check(raw.IpFamilyPolicy, FamilyPolicies, "spec.ipFamilyPolicy", raw, problems);
        if (problems.Count > 0) return new ServiceMapResult(null, problems);

        return new ServiceMapResult(new LoadBalancerService
        {
            Namespace = raw.Namespace,
            Name = raw.Name,
            ResourceVersion = raw.ResourceVersion,
            Ports = ports,
            ExternalTrafficPolicy = raw.ExternalTrafficPolicy ?? "Cluster",
            IpFamilyPolicy = raw.IpFamilyPolicy ?? "SingleStack",
            IpFamilies = families,
            RequestedIps = ips,
            RequestedPool = Annotation(raw, "address-pool")?.Value,
            SharingKey = Annotation(raw, "allow-shared-ip")?.Value,
            LoadBalancerClass = cls,
            Labels = raw.Labels,
            ReadyNodes = raw.ReadyNodes,
        }, []);
    }

    private static FieldValue? Annotation(RawService raw, string name)
    {
        foreach (var prefix in Prefixes)
            if (raw.Annotations.TryGetValue(prefix + name, out var value) && value.Value.Length > 0) return value;
        return null;
    }

    private static List<IPAddress> RequestedIps(RawService raw, List<ServiceProblem> problems)
    {
        var ips = new List<IPAddress>();
        // The annotation wins over the deprecated spec.loadBalancerIP, as in MetalLB.
        var source = Annotation(raw, "loadBalancerIPs") ?? raw.LoadBalancerIp;
        if (source is null || source.Value.Trim().Length == 0) return ips;
        foreach (var part in source.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPAddress.TryParse(part, out var ip) && IsPlainAddress(part))
                ips.Add(ip);
            else
                problems.Add(new ServiceProblem(source.Path, $"\"{part}\" is not an IP address", source.Location));
        }
        if (ips.Count(i => i.AddressFamily == AddressFamily.InterNetwork) > 1 || ips.Count(i => i.AddressFamily == AddressFamily.InterNetworkV6) > 1)
            problems.Add(new ServiceProblem(source.Path, "at most one IPv4 and one IPv6 address can be requested", source.Location));
        return ips;
    }

    // IPAddress.TryParse accepts "10" or "1.2.3" as IPv4 shorthands; a service annotation never means those.
    private static bool IsPlainAddress(string text) => text.Contains(':') || text.Count(c => c == '.') == 3;

    private static List<ServicePort> Ports(RawService raw, List<ServiceProblem> problems)
    {
        var ports = new List<ServicePort>();
        foreach (var port in raw.Ports)
        {
            var protocol = port.Protocol?.Value ?? "TCP";
            if (!Protocols.Contains(protocol))
                problems.Add(new ServiceProblem(port.Protocol!.Path, $"protocol \"{protocol}\" must be TCP, UDP or SCTP", port.Protocol.Location));
            if (!int.TryParse(port.Port.Value, out var number) || number is < 1 or > 65535)
                problems.Add(new ServiceProblem(port.Port.Path, $"port \"{port.Port.Value}\" must be a number from 1 to 65535", port.Port.Location));
            else
                ports.Add(new ServicePort(protocol, number));
        }
        return ports;
    }

    private static List<string> ValidFamilies(IReadOnlyList<FieldValue> families, List<ServiceProblem> problems)
    {
        foreach (var family in families.Where(f => !Families.Contains(f.Value)))
            problems.Add(new ServiceProblem(family.Path, $"IP family \"{family.Value}\" must be IPv4 or IPv6", family.Location));
        return families.Select(f => f.Value).ToList();
    }

    // Without spec.ipFamilies (config documents usually omit it) the requested address says which family is meant.
    private static List<string> FamiliesOf(List<IPAddress> ips) =>
        ips.Count > 0 && ips[0].AddressFamily == AddressFamily.InterNetworkV6 ? ["IPv6"] : ["IPv4"];

    private static void Check(string? value, HashSet<string> allowed, string path, RawService raw, List<ServiceProblem> problems)
    {
        if (value is not null && !allowed.Contains(value))
            problems.Add(new ServiceProblem(path, $"\"{value}\" must be one of {string.Join(", ", allowed)}", raw.Location));
    }
}
