using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Util;
using Hyperion;

namespace Fabric.Vip.Serialization;

/// <summary>Remoting serializer for Fabric's messages: Hyperion, but deserializing only types on
/// <see cref="WireAllowlist"/> (Hyperion writes CLR type names on the wire, so without the filter any peer
/// reaching the remoting port chooses what gets instantiated).</summary>
public sealed class FabricHyperionSerializer : Akka.Serialization.Serializer
{
    public const int Id = 4711;

    /// <summary>Binds Fabric's wire messages to this serializer.</summary>
    public const string Hocon = """
        akka.actor {
          serializers.fabric-hyperion = "Fabric.Vip.Serialization.FabricHyperionSerializer, Fabric.Vip"
          serialization-bindings {
            "Fabric.Vip.Serialization.IFabricWireMessage, Fabric.Vip" = fabric-hyperion
          }
          serialization-identifiers {
            "Fabric.Vip.Serialization.FabricHyperionSerializer, Fabric.Vip" = 4711
          }
        }
        """;

    private readonly Hyperion.Serializer _hyperion;

    public FabricHyperionSerializer(ExtendedActorSystem system) : this(system, ConfigurationFactory.Empty) { }

    public FabricHyperionSerializer(ExtendedActorSystem system, Config config) : this(system, WireAllowlist.Types) { }

    internal FabricHyperionSerializer(ExtendedActorSystem system, IEnumerable<Type> allowed) : base(system)
    {
        var surrogate = Surrogate.Create<ISurrogated, ISurrogate>(from => from.ToSurrogate(system), to => to.FromSurrogate(system));
        _hyperion = new Hyperion.Serializer(new SerializerOptions(
            versionTolerance: false,
            preserveObjectReferences: false,
            surrogates: [surrogate],
            serializerFactories: null,
            knownTypes: null,
            ignoreISerializable: true,
            packageNameOverrides: null,
            disallowUnsafeTypes: true,
            typeFilter: new AllowlistTypeFilter(allowed)));
    }

    public override int Identifier => Id;
    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj)
    {
        using var ms = new MemoryStream();
        _hyperion.Serialize(obj, ms);
        return ms.ToArray();
    }

    public override object FromBinary(byte[] bytes, Type type)
    {
        using var ms = new MemoryStream(bytes);
        return _hyperion.Deserialize(ms);
    }
}
