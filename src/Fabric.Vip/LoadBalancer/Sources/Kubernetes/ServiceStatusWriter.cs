using Akka.Actor;
using Akka.Event;
using k8s;
using k8s.Models;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>Does the source's writes to the API: status.loadBalancer.ingress (a merge patch of the status
/// subresource, retried with backoff; a newer write for the same service replaces a pending one) and Events
/// (best effort: a lost Event is not worth a retry storm).</summary>
public sealed class ServiceStatusWriter : ReceiveActor, IWithTimers
{
    public sealed record WriteIngress(string Namespace, string Name, IReadOnlyList<string> Ips);
    /// <summary>An Event on a Service, or on another object when ApiVersion and Kind say so (a MetalLB object).</summary>
    public sealed record RecordEvent(string Namespace, string Name, string? Uid, string Type, string Reason, string Message)
    {
        public string ApiVersion { get; init; } = "v1";
        public string Kind { get; init; } = "Service";
    }

    private sealed record IngressWritten(WriteIngress Request, int Generation);
    private sealed record IngressFailed(WriteIngress Request, int Generation, Exception Error);
    private sealed record RetryIngress(string Key, int Generation);
    private sealed record EventFailed(RecordEvent Request, Exception Error);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IKubernetes _client;
    private readonly RetryBackoff _backoff;
    private readonly string _component;
    private readonly string _instance;
    // The latest wanted ingress per service and how often writing it failed; a generation tells stale results apart.
    private readonly Dictionary<string, (WriteIngress Request, int Generation, int Failures)> _pending = [];
    private int _generation;

    public ITimerScheduler Timers { get; set; } = null!;

    public ServiceStatusWriter(IKubernetes client, RetryBackoff backoff, string component, string instance)
    {
        _client = client;
        _backoff = backoff;
        _component = component;
        _instance = instance;
        Receive<WriteIngress>(m => Start(m, 0));
        Receive<IngressWritten>(m =>
        {
            var key = Key(m.Request);
            if (_pending.TryGetValue(key, out var p) && p.Generation == m.Generation) _pending.Remove(key);
        });
        Receive<IngressFailed>(OnIngressFailed);
        Receive<RetryIngress>(m =>
        {
            if (_pending.TryGetValue(m.Key, out var p) && p.Generation == m.Generation) Start(p.Request, p.Failures);
        });
        Receive<RecordEvent>(Emit);
        Receive<EventFailed>(m => _log.Warning("Event {0} for {1} {2}/{3} not recorded: {4}", m.Request.Reason, m.Request.Kind, m.Request.Namespace, m.Request.Name, m.Error.Message));
        Receive<Status.Success>(_ => { });
    }

    public static Props Props(IKubernetes client, RetryBackoff backoff, string component, string instance) =>
        Akka.Actor.Props.Create(() => new ServiceStatusWriter(client, backoff, component, instance));

    private static string Key(WriteIngress m) => $"{m.Namespace}/{m.Name}";

    private void Start(WriteIngress request, int failures)
    {
        var generation = ++_generation;
        _pending[Key(request)] = (request, generation, failures);
        var status = new V1Service
        {
            Status = new V1ServiceStatus
            {
                LoadBalancer = new V1LoadBalancerStatus { Ingress = request.Ips.Select(ip => new V1LoadBalancerIngress { Ip = ip }).ToList() },
            },
        };
        // A merge patch replaces the ingress list whole and leaves the rest of the status (conditions) alone.
        _client.CoreV1.PatchNamespacedServiceStatusAsync(new V1Patch(status, V1Patch.PatchType.MergePatch), request.Name, request.Namespace)
            .PipeTo(Self, success: _ => new IngressWritten(request, generation), failure: e => new IngressFailed(request, generation, e));
    }

    private void OnIngressFailed(IngressFailed m)
    {
        var key = Key(m.Request);
        if (!_pending.TryGetValue(key, out var p) || p.Generation != m.Generation) return;
        if (m.Error is k8s.Autorest.HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.NotFound })
        {
            _pending.Remove(key); // the service is gone; nothing to write
            return;
        }
        var failures = p.Failures + 1;
        _pending[key] = (p.Request, p.Generation, failures);
        var delay = _backoff.After(failures);
        _log.Warning("status of service {0} not written: {1}; retrying in {2}", key, m.Error.Message, delay);
        Timers.StartSingleTimer("ingress/" + key, new RetryIngress(key, p.Generation), delay);
    }

    private void Emit(RecordEvent m)
    {
        var now = DateTime.UtcNow;
        var e = new Corev1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = m.Name + ".", NamespaceProperty = m.Namespace },
            InvolvedObject = new V1ObjectReference { ApiVersion = m.ApiVersion, Kind = m.Kind, Name = m.Name, NamespaceProperty = m.Namespace, Uid = m.Uid },
            Type = m.Type,
            Reason = m.Reason,
            Message = m.Message,
            Source = new V1EventSource { Component = _component, Host = _instance },
            ReportingComponent = _component,
            ReportingInstance = _instance,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        _client.CoreV1.CreateNamespacedEventAsync(e, m.Namespace)
            .PipeTo(Self, success: _ => new Status.Success(null), failure: ex => new EventFailed(m, ex));
    }
}
