using System.Net;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Config;
using YamlDotNet.RepresentationModel;

namespace Fabric.Vip.Tests.LoadBalancer;

internal static class LbTestData
{
    /// <summary>Reads a multi-document YAML text the way a config file's MetalLB documents are read.</summary>
    public static LoadBalancerConfig Read(string yaml, string file = "lb.yaml")
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var documents = stream.Documents.Select(d =>
        {
            var root = DocNodeFromYaml.Convert(d.RootNode, file);
            return new LoadBalancerDocument(root["apiVersion"]?.Text ?? "", root["kind"]?.Text ?? "", root["metadata"]?["name"]?.Text ?? "", root);
        });
        return LoadBalancerConfigReader.Read(documents);
    }

    public static IpAddressPool Pool(string name, params string[] addresses) => Pool(name, true, false, addresses);

    public static IpAddressPool Pool(string name, bool autoAssign, bool avoidBuggy, params string[] addresses) => new()
    {
        Name = name,
        Addresses = addresses,
        Ranges = addresses.Select(a => Fabric.Vip.LoadBalancer.Allocation.AddressRange.TryParse(a, out var r, out var e) ? r : throw new FormatException(e)).ToList(),
        AutoAssign = autoAssign,
        AvoidBuggyIps = avoidBuggy,
    };

    public static LoadBalancerService Svc(string name, string ns = "default", string? key = null, int port = 80,
        string policy = "Cluster", string? pool = null, string[]? ips = null, string family = "SingleStack",
        string[]? families = null, Dictionary<string, string>? selector = null) => new()
    {
        Namespace = ns,
        Name = name,
        SharingKey = key,
        Ports = [new ServicePort("TCP", port)],
        ExternalTrafficPolicy = policy,
        RequestedPool = pool,
        RequestedIps = (ips ?? []).Select(IPAddress.Parse).ToList(),
        IpFamilyPolicy = family,
        IpFamilies = families ?? ["IPv4"],
        Selector = selector ?? new Dictionary<string, string>(),
    };
}
