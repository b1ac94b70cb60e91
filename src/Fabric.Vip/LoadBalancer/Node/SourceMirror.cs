namespace Fabric.Vip.LoadBalancer.Node;

/// <summary>The services each source on this node last reported, kept so that whenever this node starts feeding the
/// allocator (it became the allocator's node, or the allocator restarted) every source's whole set can be sent again
/// as a Snapshot: whatever was said to the previous allocator, or lost on the way, is said again.</summary>
public sealed class SourceMirror
{
    private readonly Dictionary<string, Dictionary<string, LoadBalancerService>> _sources = new();

    /// <returns>False for a change from a source that has not sent its Snapshot yet (sources always start with one).</returns>
    public bool Apply(object message)
    {
        switch (message)
        {
            case ServiceSourceMessages.Snapshot s:
                _sources[s.Source] = s.Services.ToDictionary(x => x.Key);
                return true;
            case ServiceSourceMessages.Upserted u when _sources.TryGetValue(u.Source, out var services):
                services[u.Service.Key] = u.Service;
                return true;
            case ServiceSourceMessages.Deleted d when _sources.TryGetValue(d.Source, out var services):
                services.Remove($"{d.Namespace}/{d.Name}");
                return true;
            default:
                return false;
        }
    }

    /// <summary>A source that is gone for good: an empty Snapshot, so the allocator releases its services.</summary>
    public ServiceSourceMessages.Snapshot Empty(string source)
    {
        _sources[source] = new Dictionary<string, LoadBalancerService>();
        return new ServiceSourceMessages.Snapshot(source, []);
    }

    public IEnumerable<ServiceSourceMessages.Snapshot> Snapshots() =>
        _sources.OrderBy(s => s.Key, StringComparer.Ordinal)
            .Select(s => new ServiceSourceMessages.Snapshot(s.Key, s.Value.Values.OrderBy(x => x.Key, StringComparer.Ordinal).ToList()));
}
