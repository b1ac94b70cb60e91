using Akka.Actor;
using Fabric.Actors.Config;
using Fabric.Actors.Store;

namespace Fabric.Actors.Resources;

/// <summary>Publishing a validated config: the only way a MachineConfig resource is written.</summary>
public static class MachineConfigs
{
    public const string Owner = "MachineConfig";

    public static readonly ResourceKey Key = new(Namespaces.Config, ResourceTypes.MachineConfig.Name, MachineConfigSpec.Id);

    public static Write Publish(MachineConfig config, long generation, string source) =>
        Write.One(Owner, new Put(Key, new MachineConfigSpec(config, generation, source)));
}
