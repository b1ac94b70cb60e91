using System.Net;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Config;
using YamlDotNet.RepresentationModel;

namespace Fabric.Vip.Tests.LoadBalancer;

internal static class LbTestData
{
    /// <summary>What a node publishes for a config file without Kubernetes: the MachineConfig, and the load balancer
    /// config the node controller makes of its MetalLB documents.</summary>
    public static void PublishFile(Akka.Actor.IActorRef store, Fabric.Actors.Config.MachineConfig config, long generation)
    {
        store.Tell(Fabric.Actors.Resources.MachineConfigs.Publish(config, generation, "test"), Akka.Actor.ActorRefs.NoSender);
        PublishLoadBalancer(store, LoadBalancerConfigReader.FromExtraDocuments(config.ExtraDocuments), generation);
    }

    /// <summary>What the node controller publishes for a config file plus MetalLB objects of the Kubernetes API.</summary>
    public static void PublishWithApi(Akka.Actor.IActorRef store, Fabric.Actors.Config.MachineConfig config, long generation,
        params System.Text.Json.Nodes.JsonObject[] apiObjects)
    {
        store.Tell(Fabric.Actors.Resources.MachineConfigs.Publish(config, generation, "test"), Akka.Actor.ActorRefs.NoSender);
        var effective = new Fabric.Vip.LoadBalancer.Node.EffectiveLoadBalancerConfig();
        effective.SetFile(config.ExtraDocuments, generation);
        effective.SetApi(apiObjects.Select(o => System.Text.Json.JsonDocument.Parse(o.ToJsonString()).RootElement.Clone()).ToList());
        if (effective.ApiErrors.Count > 0) throw new InvalidOperationException(string.Join("\n", effective.ApiErrors));
        PublishLoadBalancer(store, effective.Current, generation);
    }

    /// <summary>A load balancer config as the node controller publishes it (from the file, the API, or both).</summary>
    public static void PublishLoadBalancer(Akka.Actor.IActorRef store, LoadBalancerConfig config, long version) =>
        store.Tell(Fabric.Actors.Store.Write.One(Fabric.Vip.LoadBalancer.Node.LoadBalancerNodeController.OwnerName,
            new Fabric.Actors.Store.Put(Fabric.Vip.LoadBalancer.Node.LoadBalancerResources.ConfigKey,
                new Fabric.Vip.LoadBalancer.Node.LoadBalancerConfigSpec { Config = config, Version = version })), Akka.Actor.ActorRefs.NoSender);

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
