namespace Fabric.Actors.Config;

/// <summary>A whole validated config: the network part of a Talos machine config (v1alpha1 and/or multi-document)
/// normalised into one shape, Fabric's own settings, and documents other parts of Fabric consume.</summary>
public sealed record MachineConfig
{
    public NetworkConfig Network { get; init; } = new();
    public FabricSettings Fabric { get; init; } = new();
    /// <summary>Documents that are not Talos network kinds but belong to Fabric (MetalLB kinds, v1 Service),
    /// kept as parsed YAML trees for the parts that read them.</summary>
    public IReadOnlyList<ExtraDocument> ExtraDocuments { get; init; } = [];
}

/// <summary>A non-network document (e.g. apiVersion metallb.io/v1beta1, kind IPAddressPool) with its origin.</summary>
public sealed record ExtraDocument(string ApiVersion, string Kind, string Name, SourceLocation Location, object Tree);

/// <summary>Where a value was written, for messages of the form FILE:LINE:COL.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
