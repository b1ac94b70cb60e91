using System.Text.Json;
using Akka.Actor;
using Akka.Serialization;

namespace Fabric.Vip.LoadBalancer.Allocation;

/// <summary>Journals allocator events and snapshots as JSON under explicit manifests, so the journal does not
/// depend on CLR type names: classes can be renamed or moved, and a new shape gets a new manifest (".v2") while
/// the old one keeps reading old rows.</summary>
public sealed class AllocatorEventSerializer : SerializerWithStringManifest
{
    public const int SerializerId = 1717;
    public const string Allocated = "lb.allocated.v1";
    public const string Released = "lb.released.v1";
    public const string Pools = "lb.pools.v1";
    public const string Snapshot = "lb.snapshot.v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public AllocatorEventSerializer(ExtendedActorSystem system) : base(system) { }

    public override int Identifier => SerializerId;

    public override string Manifest(object o) => o switch
    {
        IpAllocated => Allocated,
        IpReleased => Released,
        PoolsChanged => Pools,
        AllocatorSnapshot => Snapshot,
        _ => throw new ArgumentException($"{o.GetType()} is not an allocator event"),
    };

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Json);

    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        Allocated => JsonSerializer.Deserialize<IpAllocated>(bytes, Json)!,
        Released => JsonSerializer.Deserialize<IpReleased>(bytes, Json)!,
        Pools => JsonSerializer.Deserialize<PoolsChanged>(bytes, Json)!,
        Snapshot => JsonSerializer.Deserialize<AllocatorSnapshot>(bytes, Json)!,
        _ => throw new System.Runtime.Serialization.SerializationException($"unknown allocator manifest {manifest}"),
    };
}
