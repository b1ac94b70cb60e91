using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Fabric.Vip.LoadBalancer.Config;
using k8s;
using k8s.Models;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>The service source for clusters with Kubernetes. Child watchers follow Services and EndpointSlices
/// (and the MetalLB custom resources); this actor joins them into <see cref="LoadBalancerService"/>s and tells the
/// target a Snapshot once both are listed (again after any re-list), Upserted/Deleted in between. It takes
/// <see cref="ServiceAllocation"/>s back and, only while told it leads, writes status.loadBalancer.ingress and
/// records Events.</summary>
public sealed class KubernetesServiceSource : ReceiveActor
{
    public const string SourceName = "kubernetes";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly KubernetesSourceSettings _settings;
    private readonly IActorRef _target;
    private readonly IActorRef? _metalLbTarget;
    private IKubernetes? _client;
    private IActorRef _writer = ActorRefs.Nobody;

    private readonly ServiceCatalog _catalog = new();
    private readonly HashSet<string> _listed = [];
    private Dictionary<string, LoadBalancerService>? _published;
    private readonly Dictionary<string, string> _reportedProblems = [];

    private readonly Dictionary<string, ServiceAllocation> _allocations = [];
    // What was last asked of the writer per service, so a write still in flight is not asked for again.
    private readonly Dictionary<string, IReadOnlyList<string>> _requestedIngress = [];
    private bool _leader;

    private readonly Dictionary<string, Dictionary<string, JsonElement>> _metalLb = [];
    private readonly Dictionary<string, string> _metalLbAbsent = [];
    private IReadOnlyDictionary<string, string> _metalLbProblems = new Dictionary<string, string>();
    private readonly Dictionary<string, string> _reportedMetalLb = [];

    public KubernetesServiceSource(KubernetesSourceSettings settings, IActorRef target, IActorRef? metalLbTarget)
    {
        _settings = settings;
        _target = target;
        _metalLbTarget = metalLbTarget;

        Receive<ResourceListed<V1Service>>(m => OnListed(m.Resource, () => _catalog.ReplaceServices(m.Items)));
        Receive<ResourceListed<V1EndpointSlice>>(m => OnListed(m.Resource, () => _catalog.ReplaceSlices(m.Items)));
        Receive<ResourceChanged<V1Service>>(m => Refresh(_catalog.ApplyService(m.Type, m.Object)));
        Receive<ResourceChanged<V1EndpointSlice>>(m => Refresh(_catalog.ApplySlice(m.Type, m.Object)));
        Receive<ResourceListed<JsonElement>>(m => OnMetalLbListed(m.Resource, m.Items));
        Receive<ResourceChanged<JsonElement>>(m => OnMetalLbChanged(m.Resource, m.Type, m.Object));
        Receive<ResourceAbsent>(m => OnMetalLbAbsent(m.Resource, m.Reason));
        Receive<KubernetesSourceMessages.MetalLbProblems>(m =>
        {
            _metalLbProblems = m.ByLocation;
            ReportMetalLbProblems();
        });
        Receive<ServiceAllocation>(OnAllocation);
        Receive<KubernetesSourceMessages.SetLeader>(m => SetLeader(m.IsLeader));
    }

    /// <param name="target">Gets Snapshot, Upserted and Deleted.</param>
    /// <param name="metalLbTarget">Gets <see cref="KubernetesSourceMessages.MetalLbObjectsChanged"/>; null to not watch MetalLB objects.</param>
    public static Props Props(KubernetesSourceSettings settings, IActorRef target, IActorRef? metalLbTarget = null) =>
        Akka.Actor.Props.Create(() => new KubernetesServiceSource(settings, target, metalLbTarget));

    protected override void PreStart()
    {
        _client = new k8s.Kubernetes(_settings.Client);
        var instance = _settings.Instance ?? Environment.MachineName;
        _writer = Context.ActorOf(ServiceStatusWriter.Props(_client, _settings.Backoff, _settings.Component, instance), "status");
        Context.ActorOf(ResourceWatcher<V1Service>.Props(KubernetesApis.Services(_client), Self, _settings.Backoff, _settings.WatchIdleTimeout), "services");
        Context.ActorOf(ResourceWatcher<V1EndpointSlice>.Props(KubernetesApis.EndpointSlices(_client), Self, _settings.Backoff, _settings.WatchIdleTimeout), "endpointslices");
        if (WatchesMetalLb)
            foreach (var kind in MetalLbKind.All)
                Context.ActorOf(ResourceWatcher<JsonElement>.Props(KubernetesApis.MetalLb(_client, kind, _settings.MetalLbNamespace), Self, _settings.Backoff, _settings.WatchIdleTimeout), $"{kind.Plural}.{kind.Group}");
    }

    protected override void PostStop() => _client?.Dispose();

    private bool WatchesMetalLb => _settings.WatchMetalLb && _metalLbTarget is not null;

    /// <summary>Whether every MetalLB kind was listed or found absent: before that, a partial set would read as wrong
    /// (an advertisement naming a pool not listed yet), and services would meet pools that are about to exist.</summary>
    private bool MetalLbSettled => !WatchesMetalLb || MetalLbKind.All.All(k => _metalLb.ContainsKey(ResourceOf(k)) || _metalLbAbsent.ContainsKey(ResourceOf(k)));

    private static string ResourceOf(MetalLbKind kind) => $"{kind.Plural}.{kind.Group}";

    private void OnListed(string resource, Action replace)
    {
        replace();
        _listed.Add(resource);
        // Services without their slices would publish every Local service with no ready nodes, then correct it;
        // services before the MetalLB objects would ask for pools that are about to be configured.
        if (_published is null && !MetalLbSettled) return;
        if (_listed.Contains("services") && _listed.Contains("endpointslices")) PublishSnapshot();
    }

    private void PublishSnapshot()
    {
        var services = new Dictionary<string, LoadBalancerService>();
        foreach (var key in _catalog.ServiceKeys)
            if (Map(key) is { } service) services[key] = service;
        _published = services;
        _target.Tell(ServiceSetDiff.Snapshot(SourceName, services), Self);
        foreach (var key in _catalog.ServiceKeys) SyncStatus(key);
    }

    private void Refresh(IEnumerable<string> keys)
    {
        if (_published is null) return;
        foreach (var key in keys)
        {
            var service = Map(key);
            var had = _published.TryGetValue(key, out var old);
            if (service is null && had)
            {
                _published.Remove(key);
                ForgetWrites(key);
                _target.Tell(new ServiceSourceMessages.Deleted(SourceName, old!.Namespace, old.Name), Self);
            }
            else if (service is not null && (!had || !ServiceEquivalence.Same(old!, service)))
            {
                _published[key] = service;
                _target.Tell(new ServiceSourceMessages.Upserted(SourceName, service), Self);
            }
            else if (service is not null)
                _published[key] = service; // same meaning, newer resourceVersion
            SyncStatus(key);
        }
    }

    private LoadBalancerService? Map(string key)
    {
        if (_catalog.Service(key) is not { } service) return null;
        var result = ServiceMapper.Map(KubernetesServiceReader.Read(service, _catalog.ReadyNodes(key)), _settings.LoadBalancerClass);
        ReportProblems(key, service, result.Problems);
        return result.Service;
    }

    private void ReportProblems(string key, V1Service service, IReadOnlyList<ServiceProblem> problems)
    {
        var text = string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}"));
        if (text.Length == 0) { _reportedProblems.Remove(key); return; }
        if (_reportedProblems.TryGetValue(key, out var reported) && reported == text) return;
        _log.Warning("service {0} not served: {1}", key, text);
        if (!_leader) return; // reported again when this node leads and the service changes
        _reportedProblems[key] = text;
        _writer.Tell(new ServiceStatusWriter.RecordEvent(service.Metadata.NamespaceProperty, service.Metadata.Name, service.Metadata.Uid,
            "Warning", "InvalidService", text));
    }

    private void OnAllocation(ServiceAllocation allocation)
    {
        _allocations.TryGetValue(allocation.Service, out var previous);
        _allocations[allocation.Service] = allocation;
        if (_leader && _published?.ContainsKey(allocation.Service) == true && _catalog.Service(allocation.Service) is { } service)
            RecordTransition(service, previous, allocation);
        SyncStatus(allocation.Service);
    }

    private void RecordTransition(V1Service service, ServiceAllocation? previous, ServiceAllocation allocation)
    {
        var meta = service.Metadata;
        if (allocation.Error is { } error)
        {
            if (previous?.Error != error)
                _writer.Tell(new ServiceStatusWriter.RecordEvent(meta.NamespaceProperty, meta.Name, meta.Uid, "Warning", "AllocationFailed", error));
        }
        else if (allocation.Ips.Count > 0 && (previous is null || previous.Error is not null || !previous.Ips.SequenceEqual(allocation.Ips)))
        {
            var ips = string.Join(", ", allocation.Ips.Select(ip => $"\"{ip}\""));
            var pool = allocation.Pool is null ? "" : $" from pool \"{allocation.Pool}\"";
            _writer.Tell(new ServiceStatusWriter.RecordEvent(meta.NamespaceProperty, meta.Name, meta.Uid, "Normal", "IPAllocated", $"Assigned IP [{ips}]{pool}"));
        }
    }

    private void SetLeader(bool leader)
    {
        if (leader == _leader) return;
        _leader = leader;
        _requestedIngress.Clear();
        _reportedProblems.Clear();
        _reportedMetalLb.Clear();
        if (!leader) return;
        foreach (var key in _catalog.ServiceKeys) SyncStatus(key);
        ReportMetalLbProblems();
    }

    /// <summary>Brings one service's status.loadBalancer.ingress to its allocation, if this node leads and it differs.</summary>
    private void SyncStatus(string key)
    {
        if (!_leader || _published is null || !_published.ContainsKey(key)) return;
        if (!_allocations.TryGetValue(key, out var allocation) || _catalog.Service(key) is not { } service) return;
        var wanted = allocation.Error is null ? allocation.Ips.Select(ip => ip.ToString()).ToList() : [];
        var current = service.Status?.LoadBalancer?.Ingress?.Select(i => i.Ip).Where(ip => ip is not null).ToList() ?? [];
        if (current.SequenceEqual(wanted)) { _requestedIngress.Remove(key); return; }
        if (_requestedIngress.TryGetValue(key, out var requested) && requested.SequenceEqual(wanted)) return;
        _requestedIngress[key] = wanted;
        _writer.Tell(new ServiceStatusWriter.WriteIngress(service.Metadata.NamespaceProperty, service.Metadata.Name, wanted));
    }

    private void ForgetWrites(string key)
    {
        _requestedIngress.Remove(key);
        _reportedProblems.Remove(key);
    }

    private void OnMetalLbListed(string resource, IReadOnlyList<JsonElement> items)
    {
        if (_metalLbAbsent.Remove(resource)) _log.Info("{0}: can be listed now", resource);
        _metalLb[resource] = items.ToDictionary(MetalLbKey);
        ForwardMetalLb();
    }

    private void OnMetalLbAbsent(string resource, string reason)
    {
        _metalLbAbsent[resource] = reason;
        _metalLb.Remove(resource);
        ForwardMetalLb();
    }

    private void OnMetalLbChanged(string resource, WatchEventType type, JsonElement item)
    {
        if (!_metalLb.TryGetValue(resource, out var objects)) _metalLb[resource] = objects = [];
        if (type == WatchEventType.Deleted) objects.Remove(MetalLbKey(item));
        else objects[MetalLbKey(item)] = item;
        ForwardMetalLb();
    }

    private void ForwardMetalLb()
    {
        if (!MetalLbSettled) return;
        _metalLbTarget?.Tell(new KubernetesSourceMessages.MetalLbObjectsChanged(
            _metalLb.Values.SelectMany(o => o).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value).ToList(),
            _metalLbAbsent.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}").ToList()), Self);
        // The services waited for the MetalLB objects (see OnListed).
        if (_published is null && _listed.Contains("services") && _listed.Contains("endpointslices")) PublishSnapshot();
        ReportMetalLbProblems();
    }

    /// <summary>A Warning Event on each MetalLB object the config reader found wrong, from the leader only, once per text.</summary>
    private void ReportMetalLbProblems()
    {
        foreach (var gone in _reportedMetalLb.Keys.Where(k => !_metalLbProblems.ContainsKey(k)).ToList()) _reportedMetalLb.Remove(gone);
        if (!_leader) return;
        foreach (var item in _metalLb.Values.SelectMany(o => o.Values))
        {
            var meta = item.TryGetProperty("metadata", out var m) ? m : default;
            var kind = Text(item, "kind");
            var location = LoadBalancerConfigReader.LocationOf("k8s", kind, Text(meta, "name")).File;
            if (!_metalLbProblems.TryGetValue(location, out var text)) continue;
            if (_reportedMetalLb.TryGetValue(location, out var reported) && reported == text) continue;
            _reportedMetalLb[location] = text;
            var ns = Text(meta, "namespace");
            _writer.Tell(new ServiceStatusWriter.RecordEvent(ns.Length > 0 ? ns : "default", Text(meta, "name"), Text(meta, "uid"),
                "Warning", "InvalidConfiguration", text) { ApiVersion = Text(item, "apiVersion"), Kind = kind });
        }
    }

    private static string Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

    private static string MetalLbKey(JsonElement item)
    {
        var meta = item.TryGetProperty("metadata", out var m) ? m : default;
        return $"{Text(item, "apiVersion")}/{Text(item, "kind")}/{Text(meta, "namespace")}/{Text(meta, "name")}";
    }
}
