using Fabric.Actors.Config;
using Fabric.Actors.Store;

namespace Fabric.Actors.Resources;

/// <summary>The running, validated machine config. Namespace config, id "machine". Only valid configs get here.
/// Two configs are the same resource version when they are the same generation: comparing the trees is pointless.</summary>
public sealed record MachineConfigSpec(MachineConfig Config, long Generation, string Source) : IResourceSpec, IHasSpecEquality
{
    public const string Id = "machine";

    public bool SameAs(IResourceSpec other) => other is MachineConfigSpec o && o.Generation == Generation && o.Source == Source;
}
