using Fabric.Actors.Config;

namespace Fabric.Vip.LoadBalancer.Config;

/// <summary>Joins the MetalLB documents of the node's config file with the MetalLB objects of the Kubernetes API into
/// one <see cref="LoadBalancerConfig"/>, read as one set: a BGPAdvertisement in the API may select a pool of the file,
/// and a pool of the API must not overlap one of the file. File documents come first, so a cross-source problem is
/// reported at the API object (the file was valid on its own when it was accepted).</summary>
public static class LoadBalancerConfigSources
{
    /// <param name="apiDiagnostics">Problems found turning the API objects into documents (no kind, no name).</param>
    public static LoadBalancerConfig Combine(IReadOnlyList<LoadBalancerDocument> file, IReadOnlyList<LoadBalancerDocument> api,
        IReadOnlyList<ConfigDiagnostic>? apiDiagnostics = null)
    {
        var diagnostics = new List<ConfigDiagnostic>(apiDiagnostics ?? []);
        var inFile = new Dictionary<(string, string), LoadBalancerDocument>();
        foreach (var d in file) inFile.TryAdd((d.Kind, d.Name), d);
        var documents = new List<LoadBalancerDocument>(file);
        foreach (var d in api)
        {
            if (inFile.TryGetValue((d.Kind, d.Name), out var twin))
            {
                diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, d.Root.Location, $"{d.Kind}({d.Name})",
                    $"{d.Kind} {d.Name} is defined both in the config file ({twin.Root.Location}) and in the Kubernetes API ({d.Root.Location.File}); keep one of them"));
                continue;
            }
            documents.Add(d);
        }
        var read = LoadBalancerConfigReader.Read(documents);
        return read with { Diagnostics = [.. diagnostics, .. read.Diagnostics] };
    }
}
