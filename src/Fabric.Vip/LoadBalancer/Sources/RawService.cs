using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Sources;

/// <summary>A value as written, with the path it was read from and, for config documents, where it was written:
/// so one mapper can report problems for both Kubernetes objects and YAML documents.</summary>
public sealed record FieldValue(string Value, string Path, SourceLocation? Location = null);

/// <summary>The fields of a v1 Service the load balancer reads, before any interpretation. Both sources (the
/// Kubernetes API and config documents) produce this; <see cref="ServiceMapper"/> turns it into a
/// <see cref="LoadBalancerService"/>.</summary>
public sealed record RawService
{
    public required string Namespace { get; init; }
    public required string Name { get; init; }
    public string ResourceVersion { get; init; } = "";
    public SourceLocation? Location { get; init; }
    public string? Type { get; init; }
    public string? LoadBalancerClass { get; init; }
    public string? ExternalTrafficPolicy { get; init; }
    public string? IpFamilyPolicy { get; init; }
    public IReadOnlyList<FieldValue> IpFamilies { get; init; } = [];
    public FieldValue? LoadBalancerIp { get; init; }
    public IReadOnlyDictionary<string, FieldValue> Annotations { get; init; } = new Dictionary<string, FieldValue>();
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<RawServicePort> Ports { get; init; } = [];
    public IReadOnlyList<string> ReadyNodes { get; init; } = [];

    public string Key => $"{Namespace}/{Name}";
}

/// <summary>Protocol may be absent (Kubernetes defaults it to TCP); the port is text so a bad one can be reported.</summary>
public sealed record RawServicePort(FieldValue? Protocol, FieldValue Port);

/// <summary>Something wrong with a service, where it was found (Location is null for Kubernetes objects).</summary>
public sealed record ServiceProblem(string Path, string Message, SourceLocation? Location = null);

/// <summary>The outcome of mapping: a service to serve, or null (not a LoadBalancer, another class's, or invalid:
/// then <see cref="Problems"/> says why).</summary>
public sealed record ServiceMapResult(LoadBalancerService? Service, IReadOnlyList<ServiceProblem> Problems)
{
    public static readonly ServiceMapResult NotServed = new(null, []);
}
