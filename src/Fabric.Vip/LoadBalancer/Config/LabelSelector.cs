namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>A Kubernetes label selector (matchLabels and matchExpressions with In, NotIn, Exists, DoesNotExist).
/// An empty selector matches everything, as in Kubernetes.</summary>
public sealed record LabelSelector
{
    public IReadOnlyDictionary<string, string> MatchLabels { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<LabelRequirement> MatchExpressions { get; init; } = [];

    public bool Matches(IReadOnlyDictionary<string, string> labels) =>
        MatchLabels.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value)
        && MatchExpressions.All(r => r.Matches(labels));
}

public sealed record LabelRequirement(string Key, string Operator, IReadOnlyList<string> Values)
{
    public static readonly IReadOnlyCollection<string> Operators = ["In", "NotIn", "Exists", "DoesNotExist"];

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            "In" => present && Values.Contains(value!),
            "NotIn" => !present || !Values.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => false,
        };
    }
}
