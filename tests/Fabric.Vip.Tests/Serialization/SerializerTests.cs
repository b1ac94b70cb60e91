using Akka.Actor;
using Akka.Configuration;
using Fabric.Vip.Election;
using Fabric.Vip.Serialization;

namespace Fabric.Vip.Tests.Serialization;

/// <summary>Instantiating this from the wire would be the exploit; the flag shows whether it ever happened.</summary>
public sealed class Gadget
{
    public static int Created;
    public Gadget() => Interlocked.Increment(ref Created);
    public string Command { get; set; } = "rm -rf /";
}

public sealed record CarriesRef(IActorRef Ref, string Note) : IFabricWireMessage;

public sealed class SerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("ser", ConfigurationFactory.ParseString(FabricHyperionSerializer.Hocon));

    public void Dispose() => _system.Dispose();

    private FabricHyperionSerializer Create(params Type[] extra) =>
        new((ExtendedActorSystem)_system, WireAllowlist.Types.Concat(extra));

    [Fact]
    public void Lease_messages_round_trip()
    {
        var s = Create();
        object[] messages =
        [
            new LeaseRequest("v", "n1", 3, 7, 9, 6, true, 123456789012345),
            new LeaseGranted("v", "n2", "n1", 7, 9, 123456789012345),
            new LeaseRejected("v", "n2", "n1", 7, 9, 1, null, 0, false, 8),
            new LeaseRelease("v", "n1", 7, 5),
            new EpochQuery("v", "n3"),
            new EpochReport("v", "n3", 12, true),
        ];
        foreach (var m in messages) Assert.Equal(m, s.FromBinary(s.ToBinary(m), typeof(object)));
    }

    [Fact]
    public void Binding_routes_wire_messages_to_the_fabric_serializer()
    {
        var serializer = _system.Serialization.FindSerializerFor(new LeaseRelease("v", "n", 1, 1));
        Assert.IsType<FabricHyperionSerializer>(serializer);
    }

    [Fact]
    public void Actor_refs_survive_through_akka_surrogates()
    {
        var s = Create(typeof(CarriesRef));
        var probe = _system.ActorOf(Props.Empty, "target");
        var back = (CarriesRef)s.FromBinary(s.ToBinary(new CarriesRef(probe, "x")), typeof(object));
        Assert.Equal(probe.Path, back.Ref.Path);
    }

    [Fact]
    public void A_payload_naming_a_type_outside_the_allowlist_is_rejected_and_never_instantiated()
    {
        // The attacker's side: the same serializer but with the gadget allowed, so it writes its type name.
        var attacker = Create(typeof(Gadget));
        var payload = attacker.ToBinary(new Gadget());
        Gadget.Created = 0;
        var e = Assert.ThrowsAny<Exception>(() => Create().FromBinary(payload, typeof(object)));
        Assert.EndsWith("EvilDeserializationException", e.GetType().Name);
        Assert.Equal(0, Gadget.Created);
    }

    /// <summary>Hyperion's object manifest: 0xFF, the type name's length (int32, little endian), the name.</summary>
    private static byte[] PayloadNaming(string typeName)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(typeName);
        return [0xFF, .. BitConverter.GetBytes(name.Length), .. name];
    }

    [Fact]
    public void A_hand_made_payload_naming_process_is_rejected()
    {
        var s = Create();
        var e = Assert.ThrowsAny<Exception>(() => s.FromBinary(PayloadNaming(typeof(System.Diagnostics.Process).AssemblyQualifiedName!), typeof(object)));
        Assert.EndsWith("EvilDeserializationException", e.GetType().Name);
        Assert.ThrowsAny<Exception>(() => s.FromBinary(PayloadNaming("System.Diagnostics.Process, System.Diagnostics.Process"), typeof(object)));
    }

    [Fact]
    public void The_allowlist_filter_normalises_both_name_forms()
    {
        var filter = new AllowlistTypeFilter(WireAllowlist.Types);
        Assert.False(filter.IsAllowed(typeof(System.Diagnostics.Process).AssemblyQualifiedName!));
        Assert.False(filter.IsAllowed("System.Diagnostics.Process, System.Diagnostics.Process"));
        Assert.True(filter.IsAllowed(typeof(LeaseRequest).AssemblyQualifiedName!));
        Assert.True(filter.IsAllowed("Fabric.Vip.Election.LeaseRequest, Fabric.Vip"));
    }
}
