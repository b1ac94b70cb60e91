using System.Net;
using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Sources.Config;
using static Fabric.Vip.LoadBalancer.ServiceSourceMessages;

namespace Fabric.Vip.Tests.LoadBalancer.Sources;

public sealed class ConfigServiceSourceTests : Akka.TestKit.Xunit2.TestKit
{
    private const string Pool = """
        apiVersion: metallb.io/v1beta1
        kind: IPAddressPool
        metadata:
          name: default-pool
          namespace: metallb-system
        spec:
          addresses:
            - 192.0.2.0/24
        """;

    private static string Service(string name, string ip, int port = 80, string extra = "") => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          annotations:
            metallb.io/loadBalancerIPs: {ip}
        spec:
          type: LoadBalancer
          ports:
            - port: {port}
              protocol: TCP{extra}
        """;

    private static MachineConfig Parse(params string[] documents)
    {
        var result = ConfigLoader.Parse(string.Join("\n---\n", documents), "node.yaml");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Config!;
    }

    [Fact]
    public void Service_documents_give_a_snapshot_then_diffs_across_generations()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        store.Tell(MachineConfigs.Publish(Parse(Pool, Service("web", "192.0.2.10"), Service("dns", "192.0.2.53", 53)), 1, "test"), ActorRefs.NoSender);
        Sys.ActorOf(ConfigServiceSource.Props(store, TestActor));

        var snapshot = ExpectMsg<Snapshot>();
        Assert.Equal("config", snapshot.Source);
        Assert.Equal(["default/dns", "default/web"], snapshot.Services.Select(s => s.Key));
        Assert.Equal([IPAddress.Parse("192.0.2.53")], snapshot.Services[0].RequestedIps);
        Assert.Equal([new ServicePort("TCP", 53)], snapshot.Services[0].Ports);

        // web moves, dns goes, api comes; an unchanged service says nothing.
        store.Tell(MachineConfigs.Publish(Parse(Pool, Service("web", "192.0.2.11"), Service("api", "2001:db8::8", 8080)), 2, "test"), ActorRefs.NoSender);
        Assert.Equal("dns", ExpectMsg<Deleted>().Name);
        var api = ExpectMsg<Upserted>().Service;
        Assert.Equal("api", api.Name);
        Assert.Equal(["IPv6"], api.IpFamilies);
        Assert.Equal([IPAddress.Parse("192.0.2.11")], ExpectMsg<Upserted>().Service.RequestedIps);

        store.Tell(MachineConfigs.Publish(Parse(Pool, Service("web", "192.0.2.11"), Service("api", "2001:db8::8", 8080)), 3, "test"), ActorRefs.NoSender);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_config_without_services_is_an_empty_snapshot()
    {
        var store = Sys.ActorOf(ResourceStore.Props());
        Sys.ActorOf(ConfigServiceSource.Props(store, TestActor));
        Assert.Empty(ExpectMsg<Snapshot>().Services);
    }

    [Fact]
    public void Malformed_service_documents_are_reported_where_they_were_written_and_skipped()
    {
        var config = Parse(Pool, Service("web", "192.0.2.300"), Service("dns", "192.0.2.53", 70000), Service("ok", "192.0.2.7"));
        var result = ConfigServices.Read(config, null, "1");

        Assert.Equal(["default/ok"], result.Services.Keys);
        var messages = result.Diagnostics.Select(d => d.ToString()).ToList();
        // The pool takes lines 1-8; the Service documents start at 10 and 22; the value is pointed at, column included.
        Assert.Contains(messages, m => m.StartsWith("node.yaml:15:33: Service web: ") && m.Contains("metadata.annotations[metallb.io/loadBalancerIPs]") && m.Contains("\"192.0.2.300\" is not an IP address"));
        Assert.Contains(messages, m => m.StartsWith("node.yaml:31:13: Service dns: ") && m.Contains("spec.ports[0].port") && m.Contains("70000"));
    }

    [Fact]
    public void Services_of_another_class_or_type_are_not_served()
    {
        var config = Parse(Service("mine", "192.0.2.7"),
            Service("theirs", "192.0.2.8", extra: "\n  loadBalancerClass: example.com/other-lb"),
            Service("plain", "192.0.2.9").Replace("type: LoadBalancer", "type: ClusterIP"));
        Assert.Equal(["default/mine"], ConfigServices.Read(config, null, "1").Services.Keys);
        Assert.Equal(["default/theirs"], ConfigServices.Read(config, "example.com/other-lb", "1").Services.Keys);
    }
}
