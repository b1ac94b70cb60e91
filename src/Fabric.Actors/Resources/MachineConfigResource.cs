using Fabric.Actors.Config;

namespace Fabric.Actors.Resources;

/// <summary>The running, validated machine config. Namespace config, id "machine". Only valid configs get here.</summary>
public sealed record MachineConfigSpec(MachineConfig Config, long Generation, string Source) : IResourceSpec
{
    public const string Id = "machine";
}
