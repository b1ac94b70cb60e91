using System.Net;
using System.Text.Json;
using Akka.Configuration;
using Fabric.Vip.LoadBalancer;
using Fabric.Vip.LoadBalancer.Allocation;
using Fabric.Vip.LoadBalancer.Config;
using Fabric.Vip.LoadBalancer.Wire;
using static Fabric.Vip.Tests.LoadBalancer.LbTestData;

namespace Fabric.Vip.Tests.LoadBalancer.Cluster;

/// <summary>Every message that may cross between nodes is bound to the load balancer's wire serializer and comes back
/// whole: addresses, pool sizes beyond 64 bits, label selectors of pools.</summary>
public sealed class LoadBalancerWireSerializerTests() : Akka.TestKit.Xunit2.TestKit(ConfigurationFactory.ParseString(LoadBalancerWireSerializer.Hocon))
{
    private static readonly LoadBalancerService Web = Svc("web", key: "shared", port: 443, policy: "Local", ips: ["192.0.2.10", "2001:db8::10"],
        family: "RequireDualStack", families: ["IPv4", "IPv6"], selector: new() { ["app"] = "web" }) with
    {
        Labels = new Dictionary<string, string> { ["tier"] = "front" },
        NamespaceLabels = new Dictionary<string, string> { ["team"] = "a" },
        ReadyNodes = ["node-a"],
        ResourceVersion = "42",
    };

    private static readonly ServiceAllocation Allocation = new()
    {
        Service = "default/web", Ips = [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")], Pool = "public", Warning = "kept",
    };

    private static readonly PoolStatus Huge = new("v6", UInt128.MaxValue, 3, UInt128.MaxValue - 3, ["2001:db8::/32"], true);

    public static TheoryData<object> Messages() =>
    [
        new ServiceSourceMessages.Snapshot("kubernetes", [Web, Svc("dns", "infra")]),
        new ServiceSourceMessages.Upserted("config", Web),
        new ServiceSourceMessages.Deleted("config", "default", "web"),
        Allocation,
        new ServiceAllocation { Service = "default/db", Error = "IPAddressPool public has no free IPv4 address (exhausted)" },
        AllocatorMessages.GetPoolStatus.Instance,
        AllocatorMessages.GetAllocations.Instance,
        new AllocatorMessages.PoolStatusReport([Huge]),
        new AllocatorMessages.AllocationsReport([Allocation]),
        AllocatorFeed.Subscribe.Instance,
        new AllocatorFeed.Subscribed("akka.tcp://fabric-dc1@192.0.2.11:4053"),
        new AllocatorFeed.Allocations([Allocation]),
        AllocatorFeed.StateComplete.Instance,
        new AllocatorFeed.Pools([Huge]),
        AllocatorFeed.Resync.Instance,
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_comes_back_whole(object message)
    {
        var back = RoundTrip(message);
        Assert.IsType(message.GetType(), back);
        // Records holding lists compare lists by reference; their JSON says whether the content came back.
        Assert.Equal(Render(message), Render(back));
    }

    [Fact]
    public void Pools_travel_as_their_journaled_definitions()
    {
        var pools = Read("""
            apiVersion: metallb.io/v1beta1
            kind: IPAddressPool
            metadata: {name: tenants, namespace: metallb-system}
            spec:
              addresses: [192.0.2.0/28, "2001:db8::10-2001:db8::1f"]
              avoidBuggyIPs: true
              autoAssign: false
              serviceAllocation:
                priority: 5
                namespaces: [a]
                serviceSelectors:
                  - matchExpressions: [{key: tier, operator: In, values: [front]}]
            """).Pools;
        var back = Assert.IsType<AllocatorMessages.ConfigurePools>(RoundTrip(new AllocatorMessages.ConfigurePools(pools)));
        var pool = Assert.Single(back.Pools);
        Assert.Equal(pools[0].Ranges, pool.Ranges);
        Assert.False(pool.AutoAssign);
        Assert.True(pool.AvoidBuggyIps);
        Assert.Equal(5, pool.ServiceAllocation!.Priority);
        Assert.True(new AddressPool(pool).Serves(Web with { Namespace = "a" }));
        Assert.False(new AddressPool(pool).Serves(Web with { Namespace = "a", Labels = new Dictionary<string, string>() }));
    }

    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<LoadBalancerWireSerializer>(serializer);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        return Sys.Serialization.Deserialize(serializer.ToBinary(message), serializer.Identifier, manifest);
    }

    private static string Render(object o) => JsonSerializer.Serialize(o, o.GetType(), new JsonSerializerOptions
    {
        Converters = { new IpText(), new CountText() },
    });

    private sealed class IpText : System.Text.Json.Serialization.JsonConverter<IPAddress>
    {
        public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    private sealed class CountText : System.Text.Json.Serialization.JsonConverter<UInt128>
    {
        public override UInt128 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();
        public override void Write(Utf8JsonWriter writer, UInt128 value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
