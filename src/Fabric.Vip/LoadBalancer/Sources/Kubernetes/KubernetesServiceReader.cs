using System.Globalization;
using k8s.Models;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>Reads a Service object from the API into <see cref="RawService"/>.</summary>
public static class KubernetesServiceReader
{
    public static RawService Read(V1Service service, IReadOnlyList<string> readyNodes)
    {
        var meta = service.Metadata;
        var spec = service.Spec ?? new V1ServiceSpec();
        var annotations = (meta.Annotations ?? new Dictionary<string, string>())
            .ToDictionary(a => a.Key, a => new FieldValue(a.Value ?? "", $"metadata.annotations[{a.Key}]"));
        return new RawService
        {
            Namespace = meta.NamespaceProperty ?? "default",
            Name = meta.Name,
            ResourceVersion = meta.ResourceVersion ?? "",
            Type = spec.Type,
            LoadBalancerClass = spec.LoadBalancerClass,
            ExternalTrafficPolicy = spec.ExternalTrafficPolicy,
            IpFamilyPolicy = spec.IpFamilyPolicy,
            IpFamilies = (spec.IpFamilies ?? []).Select((f, i) => new FieldValue(f, $"spec.ipFamilies[{i}]")).ToList(),
            LoadBalancerIp = string.IsNullOrEmpty(spec.LoadBalancerIP) ? null : new FieldValue(spec.LoadBalancerIP, "spec.loadBalancerIP"),
            Annotations = annotations,
            Labels = new Dictionary<string, string>(meta.Labels ?? new Dictionary<string, string>()),
            Ports = (spec.Ports ?? []).Select((p, i) => new RawServicePort(
                p.Protocol is null ? null : new FieldValue(p.Protocol, $"spec.ports[{i}].protocol"),
                new FieldValue(p.Port.ToString(CultureInfo.InvariantCulture), $"spec.ports[{i}].port"))).ToList(),
            ReadyNodes = readyNodes,
        };
    }
}
