using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;
using Fabric.Vip.LoadBalancer.Allocation;

namespace Fabric.Vip.LoadBalancer.Wire;

/// <summary>The load balancer's messages between nodes (controllers, the allocator singleton, its proxy) as JSON under
/// explicit manifests: only the types listed here are ever read from the wire, and the reader needs no CLR type
/// names. A shape change gets a new manifest, like the allocator's journal events.</summary>
public sealed class LoadBalancerWireSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 1718;

    private const string ConfigurePoolsManifest = "lbw.configure-pools.v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new IpAddressJsonConverter(), new UInt128JsonConverter() },
    };

    /// <summary>Every message type and its manifest. <see cref="AllocatorMessages.ConfigurePools"/> is handled apart:
    /// its pools travel as the <see cref="PoolDefinition"/>s the journal already stores.</summary>
    private static readonly (Type Type, string Manifest)[] Messages =
    [
        (typeof(ServiceSourceMessages.Snapshot), "lbw.source-snapshot.v1"),
        (typeof(ServiceSourceMessages.Upserted), "lbw.source-upserted.v1"),
        (typeof(ServiceSourceMessages.Deleted), "lbw.source-deleted.v1"),
        (typeof(ServiceAllocation), "lbw.allocation.v1"),
        (typeof(AllocatorMessages.GetPoolStatus), "lbw.get-pool-status.v1"),
        (typeof(AllocatorMessages.GetAllocations), "lbw.get-allocations.v1"),
        (typeof(AllocatorMessages.PoolStatusReport), "lbw.pool-status.v1"),
        (typeof(AllocatorMessages.AllocationsReport), "lbw.allocations.v1"),
        (typeof(AllocatorFeed.Subscribe), "lbw.feed-subscribe.v1"),
        (typeof(AllocatorFeed.Subscribed), "lbw.feed-subscribed.v1"),
        (typeof(AllocatorFeed.Allocations), "lbw.feed-allocations.v1"),
        (typeof(AllocatorFeed.StateComplete), "lbw.feed-state-complete.v1"),
        (typeof(AllocatorFeed.Pools), "lbw.feed-pools.v1"),
        (typeof(AllocatorFeed.Resync), "lbw.feed-resync.v1"),
    ];

    private static readonly Dictionary<Type, string> ManifestOf = Messages.ToDictionary(m => m.Type, m => m.Manifest);
    private static readonly Dictionary<string, Type> TypeOf = Messages.ToDictionary(m => m.Manifest, m => m.Type);

    /// <summary>Binds every message above to this serializer.</summary>
    public static string Hocon
    {
        get
        {
            static string Name(Type t) => $"{t.FullName}, {t.Assembly.GetName().Name}";
            var bindings = Messages.Select(m => m.Type).Append(typeof(AllocatorMessages.ConfigurePools))
                .Select(t => $"    \"{Name(t)}\" = fabric-lb-wire");
            return $$"""
                akka.actor {
                  serializers.fabric-lb-wire = "{{Name(typeof(LoadBalancerWireSerializer))}}"
                  serialization-bindings {
                {{string.Join("\n", bindings)}}
                  }
                }
                """;
        }
    }

    public LoadBalancerWireSerializer(ExtendedActorSystem system) : base(system) { }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o is AllocatorMessages.ConfigurePools
        ? ConfigurePoolsManifest
        : ManifestOf.TryGetValue(o.GetType(), out var manifest) ? manifest
        : throw new ArgumentException($"{o.GetType()} is not a load balancer wire message");

    public override byte[] ToBinary(object obj) => obj is AllocatorMessages.ConfigurePools configure
        ? JsonSerializer.SerializeToUtf8Bytes(configure.Pools.Select(PoolDefinition.Of).ToList(), Json)
        : JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (manifest == ConfigurePoolsManifest)
            return new AllocatorMessages.ConfigurePools(
                JsonSerializer.Deserialize<List<PoolDefinition>>(bytes, Json)!.Select(d => d.ToPool()).ToList());
        if (!TypeOf.TryGetValue(manifest, out var type))
            throw new System.Runtime.Serialization.SerializationException($"unknown load balancer wire manifest {manifest}");
        return JsonSerializer.Deserialize(bytes, type, Json)
               ?? throw new System.Runtime.Serialization.SerializationException($"empty {manifest} message");
    }
}
