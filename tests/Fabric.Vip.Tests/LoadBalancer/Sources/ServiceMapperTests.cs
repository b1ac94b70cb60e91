using System.Net;
using Fabric.Vip.LoadBalancer.Sources;
using Fabric.Vip.LoadBalancer.Sources.Kubernetes;
using k8s.Models;

namespace Fabric.Vip.Tests.LoadBalancer.Sources;

public sealed class ServiceMapperTests
{
    private static V1Service Service(Dictionary<string, string>? annotations = null, string? loadBalancerIp = null, IList<string>? families = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", ResourceVersion = "42", Annotations = annotations },
        Spec = new V1ServiceSpec
        {
            Type = "LoadBalancer", LoadBalancerIP = loadBalancerIp, IpFamilies = families,
            Ports = [new V1ServicePort { Port = 443 }],
        },
    };

    private static ServiceMapResult Map(V1Service service) => ServiceMapper.Map(KubernetesServiceReader.Read(service, []), null);

    [Fact]
    public void The_metallb_io_annotation_wins_over_the_old_prefix_and_spec_load_balancer_ip()
    {
        var result = Map(Service(new() { ["metallb.io/loadBalancerIPs"] = "192.0.2.1, 2001:db8::1", ["metallb.universe.tf/loadBalancerIPs"] = "192.0.2.2" }, "192.0.2.3"));
        Assert.Equal([IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1")], result.Service!.RequestedIps);
        Assert.Equal("42", result.Service.ResourceVersion);
        Assert.Equal([new Fabric.Vip.LoadBalancer.ServicePort("TCP", 443)], result.Service.Ports);
    }

    [Fact]
    public void The_old_prefix_and_spec_load_balancer_ip_still_count()
    {
        Assert.Equal([IPAddress.Parse("198.51.100.2")], Map(Service(new() { ["metallb.universe.tf/loadBalancerIPs"] = "198.51.100.2" })).Service!.RequestedIps);
        Assert.Equal([IPAddress.Parse("203.0.113.3")], Map(Service(loadBalancerIp: "203.0.113.3")).Service!.RequestedIps);
    }

    [Theory]
    [InlineData("192.0.2")]
    [InlineData("not-an-ip")]
    [InlineData("192.0.2.1,192.0.2.2")]
    public void A_bad_requested_address_makes_the_service_unservable_with_the_reason(string value)
    {
        var result = Map(Service(new() { ["metallb.io/loadBalancerIPs"] = value }));
        Assert.Null(result.Service);
        Assert.Equal("metadata.annotations[metallb.io/loadBalancerIPs]", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void Unknown_ip_families_are_problems()
    {
        var result = Map(Service(families: ["IPv5"]));
        Assert.Equal("spec.ipFamilies[0]", Assert.Single(result.Problems).Path);
    }

    [Fact]
    public void Ready_nodes_come_from_ready_endpoints_with_a_node_name()
    {
        var slice = new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = "web-abc", NamespaceProperty = "shop", Labels = new Dictionary<string, string> { [EndpointSliceReadiness.ServiceNameLabel] = "web" } },
            AddressType = "IPv4",
            Endpoints =
            [
                new V1Endpoint { Addresses = ["10.244.1.2"], NodeName = "node-b", Conditions = new V1EndpointConditions { Ready = true } },
                new V1Endpoint { Addresses = ["10.244.1.3"], NodeName = "node-a" },
                new V1Endpoint { Addresses = ["10.244.1.4"], NodeName = "node-c", Conditions = new V1EndpointConditions { Ready = false } },
                new V1Endpoint { Addresses = ["10.244.1.5"], Conditions = new V1EndpointConditions { Ready = true } },
            ],
        };
        Assert.Equal("shop/web", EndpointSliceReadiness.ServiceKeyOf(slice));
        Assert.Equal(["node-a", "node-b"], EndpointSliceReadiness.ReadyNodes([slice]));
    }
}
