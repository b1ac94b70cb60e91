using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Sources.Config;

/// <summary>The LoadBalancer services a machine config declares, with a diagnostic per problem in the format
/// the config tools print (FILE:LINE:COL: path: message).</summary>
public static class ConfigServices
{
    public const string ApiVersion = "v1";
    public const string Kind = "Service";

    public sealed record Result(IReadOnlyDictionary<string, LoadBalancerService> Services, IReadOnlyList<ConfigDiagnostic> Diagnostics);

    /// <param name="resourceVersion">Config services have no resourceVersion of their own: the config generation stands in.</param>
    public static Result Read(MachineConfig config, string? fabricClass, string resourceVersion)
    {
        var services = new Dictionary<string, LoadBalancerService>();
        var diagnostics = new List<ConfigDiagnostic>();
        foreach (var document in config.ExtraDocuments.Where(d => d.ApiVersion == ApiVersion && d.Kind == Kind))
        {
            var (raw, readProblems) = ServiceDocumentReader.Read(document);
            var problems = readProblems.ToList();
            ServiceMapResult? mapped = null;
            if (raw is not null)
            {
                mapped = ServiceMapper.Map(raw with { ResourceVersion = resourceVersion }, fabricClass);
                problems.AddRange(mapped.Problems);
            }
            diagnostics.AddRange(problems.Select(p => new ConfigDiagnostic(DiagnosticSeverity.Error, p.Location ?? document.Location, $"Service {document.Name}: {p.Path}", p.Message)));
            if (problems.Count > 0 || mapped?.Service is not { } service) continue;
            if (!services.TryAdd(service.Key, service))
                diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, document.Location, $"Service {document.Name}", $"service {service.Key} is declared twice"));
        }
        return new Result(services, diagnostics);
    }
}
