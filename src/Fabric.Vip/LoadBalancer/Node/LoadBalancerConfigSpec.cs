using System.Text.Json.Serialization;
using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Node;

/// <summary>The load balancer config this node runs with: the config file's MetalLB documents plus the MetalLB
/// objects of the Kubernetes API, checked as one set (`fabric get lbconfig`). The one place the allocator feed, the
/// Layer 2 and BGP announcers and the BGP speaker read pools, advertisements, peers and communities from. Id
/// <see cref="Id"/>. Two specs are the same version when their <see cref="Version"/> is.</summary>
public sealed record LoadBalancerConfigSpec : IResourceSpec, IHasSpecEquality
{
    public const string Id = "effective";

    /// <summary>The typed config; not shown (the object list below says what it holds and where each came from).</summary>
    [JsonIgnore]
    public LoadBalancerConfig Config { get; init; } = LoadBalancerConfig.Empty;
    /// <summary>Grows by one whenever the config changes.</summary>
    public long Version { get; init; }
    /// <summary>Every object in use as KIND/NAME (WHERE): a file position, or k8s for the API.</summary>
    public IReadOnlyList<string> Objects { get; init; } = [];

    public bool SameAs(IResourceSpec other) => other is LoadBalancerConfigSpec o && o.Version == Version;
}

/// <summary>One source of MetalLB objects and whether what it holds is in use: `fabric get lbconfigsources`. Id: "file"
/// or "kubernetes". An invalid set from the API is not applied in part: the last good set stays in use, and
/// <see cref="Errors"/> say which object and field is wrong.</summary>
public sealed record LoadBalancerConfigSourceState : IResourceSpec
{
    public const string File = "file";
    public const string Kubernetes = "kubernetes";

    public required string Source { get; init; }
    /// <summary>How many MetalLB objects the source holds now.</summary>
    public int Objects { get; init; }
    /// <summary>applied; invalid (keeping the last good set); waiting (not listed yet); disabled.</summary>
    public required string State { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    /// <summary>E.g. which MetalLB CRDs are not installed.</summary>
    public string Note { get; init; } = "";
    public DateTimeOffset Since { get; init; }
}
