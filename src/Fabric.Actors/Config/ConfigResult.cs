namespace Fabric.Actors.Config;

/// <summary>The outcome of reading a config: the normalised config when nothing is wrong, and every problem found.</summary>
public sealed record ConfigResult(MachineConfig? Config, IReadOnlyList<ConfigDiagnostic> Diagnostics)
{
    public bool IsValid => Config is not null && !Diagnostics.Any(d => d.IsError);
    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.IsError);
    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
}
