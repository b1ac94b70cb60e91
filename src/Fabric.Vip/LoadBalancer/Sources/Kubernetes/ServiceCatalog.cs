using k8s;
using k8s.Models;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>The Services and EndpointSlices the source knows, with slices indexed by the service they belong to.
/// Changes return the service keys whose mapping may have changed. Owned by one actor, so no locking.</summary>
internal sealed class ServiceCatalog
{
    private readonly Dictionary<string, V1Service> _services = [];
    private readonly Dictionary<string, V1EndpointSlice> _slices = [];
    private readonly Dictionary<string, Dictionary<string, V1EndpointSlice>> _slicesByService = [];

    public IEnumerable<string> ServiceKeys => _services.Keys.Order(StringComparer.Ordinal).ToList();

    public V1Service? Service(string key) => _services.GetValueOrDefault(key);

    public IReadOnlyList<string> ReadyNodes(string key) =>
        _slicesByService.TryGetValue(key, out var slices) ? EndpointSliceReadiness.ReadyNodes(slices.Values) : [];

    public void ReplaceServices(IEnumerable<V1Service> services)
    {
        _services.Clear();
        foreach (var s in services) _services[KeyOf(s.Metadata)] = s;
    }

    public void ReplaceSlices(IEnumerable<V1EndpointSlice> slices)
    {
        _slices.Clear();
        _slicesByService.Clear();
        foreach (var s in slices) AddSlice(s);
    }

    public IEnumerable<string> ApplyService(WatchEventType type, V1Service service)
    {
        var key = KeyOf(service.Metadata);
        if (type == WatchEventType.Deleted) _services.Remove(key);
        else _services[key] = service;
        return [key];
    }

    public IEnumerable<string> ApplySlice(WatchEventType type, V1EndpointSlice slice)
    {
        var affected = new List<string>();
        // A slice can move between services only by relabelling; both the old and the new owner may change.
        if (RemoveSlice(KeyOf(slice.Metadata)) is { } before) affected.Add(before);
        if (type != WatchEventType.Deleted && AddSlice(slice) is { } after && !affected.Contains(after)) affected.Add(after);
        return affected;
    }

    private string? AddSlice(V1EndpointSlice slice)
    {
        var key = KeyOf(slice.Metadata);
        _slices[key] = slice;
        if (EndpointSliceReadiness.ServiceKeyOf(slice) is not { } service) return null;
        if (!_slicesByService.TryGetValue(service, out var slices)) _slicesByService[service] = slices = [];
        slices[key] = slice;
        return service;
    }

    private string? RemoveSlice(string key)
    {
        if (!_slices.Remove(key, out var old) || EndpointSliceReadiness.ServiceKeyOf(old) is not { } service) return null;
        if (_slicesByService.TryGetValue(service, out var slices) && slices.Remove(key) && slices.Count == 0) _slicesByService.Remove(service);
        return service;
    }

    private static string KeyOf(V1ObjectMeta meta) => $"{meta.NamespaceProperty ?? "default"}/{meta.Name}";
}
