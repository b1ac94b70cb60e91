namespace Fabric.Vip.Serialization;

/// <summary>Marker for messages that cross remoting: the HOCON binding routes them to
/// <see cref="FabricHyperionSerializer"/>. Being marked does not make a type deserializable; only
/// <see cref="WireAllowlist"/> does.</summary>
public interface IFabricWireMessage;
