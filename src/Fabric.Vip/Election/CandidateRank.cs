namespace Fabric.Vip.Election;

/// <summary>Deterministic tie-break between candidates so that they do not duel: higher priority wins, then the
/// ordinally smaller node name. Every node computes the same order from the same two values.</summary>
public static class CandidateRank
{
    public static bool IsBetter(int priority, string node, int otherPriority, string otherNode) =>
        priority != otherPriority ? priority > otherPriority : string.CompareOrdinal(node, otherNode) < 0;
}
