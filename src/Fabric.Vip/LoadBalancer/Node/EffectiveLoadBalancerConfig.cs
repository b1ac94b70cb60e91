using System.Text;
using System.Text.Json;
using Fabric.Actors.Config;
using Fabric.Vip.LoadBalancer.Config;

namespace Fabric.Vip.LoadBalancer.Node;

/// <summary>The node's one load balancer config: the running config file's MetalLB documents plus the MetalLB objects
/// of the Kubernetes API. The file was validated whole before it ran; the API is not, so a set of API objects that
/// does not read cleanly together with the file is never applied in part: the last good set of API objects stays in
/// use (with the current file), and the problems are kept for the operator. Not an actor: the load balancer node
/// controller owns one.</summary>
public sealed class EffectiveLoadBalancerConfig
{
    private IReadOnlyList<LoadBalancerDocument> file = [];
    private long fileGeneration = -1;
    private IReadOnlyList<JsonElement>? api;
    private IReadOnlyList<JsonElement>? lastGoodApi;
    private string signature = "";

    public LoadBalancerConfig Current { get; private set; } = LoadBalancerConfig.Empty;
    /// <summary>Grows whenever <see cref="Current"/> changes meaning.</summary>
    public long Version { get; private set; }
    /// <summary>Errors of the API objects as they are now; empty when they are in use.</summary>
    public IReadOnlyList<ConfigDiagnostic> ApiErrors { get; private set; } = [];
    /// <summary>Whether the API's objects are read at all (Kubernetes configured with MetalLB objects).</summary>
    public bool ReadsApi { get; private set; }
    /// <summary>Whether the API's objects were listed since <see cref="ReadsApi"/> became true.</summary>
    public bool ApiListed => api is not null;
    public int ApiObjects => api?.Count ?? 0;
    public int FileObjects => file.Count;
    /// <summary>Where each object in use comes from: KIND/NAME (WHERE).</summary>
    public IReadOnlyList<string> Objects { get; private set; } = [];

    /// <returns>Whether <see cref="Current"/> changed.</returns>
    public bool SetFile(IEnumerable<ExtraDocument> documents, long generation)
    {
        if (generation == fileGeneration) return false;
        fileGeneration = generation;
        file = LoadBalancerConfigReader.DocumentsOf(documents);
        return Recompute();
    }

    /// <summary>The API's MetalLB objects, whole, as the Kubernetes source last listed and watched them.</summary>
    public bool SetApi(IReadOnlyList<JsonElement> objects)
    {
        ReadsApi = true;
        api = objects;
        return Recompute();
    }

    /// <summary>The API's objects are not read (no Kubernetes, or metallbObjects: false): only the file counts.</summary>
    public bool StopReadingApi()
    {
        ReadsApi = false;
        api = null;
        lastGoodApi = null;
        ApiErrors = [];
        return Recompute();
    }

    private bool Recompute()
    {
        if (fileGeneration < 0) return false;
        LoadBalancerConfig chosen;
        IReadOnlyList<JsonElement> used;
        if (api is null)
        {
            chosen = Combine([]);
            used = [];
        }
        else
        {
            var attempt = Combine(KnownFirst(api));
            if (attempt.IsValid)
            {
                (chosen, used, lastGoodApi) = (attempt, api, api);
                ApiErrors = [];
            }
            else
            {
                ApiErrors = attempt.Diagnostics.Where(d => d.IsError).ToList();
                // The last good API objects may not fit a file that changed since; then the file alone.
                var kept = lastGoodApi is null ? null : Combine(lastGoodApi);
                (chosen, used) = kept is { IsValid: true } ? (kept, lastGoodApi!) : (Combine([]), []);
            }
        }
        if (!chosen.IsValid) return false; // the file alone is valid: it was checked before it ran
        var now = Signature(used);
        if (now == signature) return false;
        signature = now;
        Current = chosen;
        Version++;
        Objects = Describe(used);
        return true;
    }

    /// <summary>Objects that were part of the last good set first, new and changed ones after: a problem between two
    /// objects (overlapping pools) is reported at the later one, which should be the one that brought it.</summary>
    private IReadOnlyList<JsonElement> KnownFirst(IReadOnlyList<JsonElement> objects)
    {
        if (lastGoodApi is null) return objects;
        var known = lastGoodApi.Select(Identity).ToHashSet(StringComparer.Ordinal);
        return objects.OrderBy(o => known.Contains(Identity(o)) ? 0 : 1).ToList();
    }

    private static string Identity(JsonElement o)
    {
        var text = new StringBuilder().Append(Text(o, "apiVersion")).Append('/').Append(Text(o, "kind"));
        if (o.TryGetProperty("metadata", out var meta)) text.Append('/').Append(Text(meta, "namespace")).Append('/').Append(Text(meta, "name"));
        if (o.TryGetProperty("spec", out var spec)) text.Append('=').Append(spec.GetRawText());
        return text.ToString();
    }

    private LoadBalancerConfig Combine(IReadOnlyList<JsonElement> objects)
    {
        var diagnostics = new List<ConfigDiagnostic>();
        var documents = LoadBalancerConfigReader.DocumentsOf(objects, "k8s", diagnostics);
        return LoadBalancerConfigSources.Combine(file, documents, diagnostics);
    }

    /// <summary>What the config means: the file's generation and the API objects' identities and specs (their
    /// resourceVersions and statuses change nothing).</summary>
    private string Signature(IReadOnlyList<JsonElement> objects)
    {
        var text = new StringBuilder().Append(fileGeneration);
        foreach (var o in objects) text.Append('|').Append(Identity(o));
        return text.ToString();
    }

    private IReadOnlyList<string> Describe(IReadOnlyList<JsonElement> objects) =>
        file.Select(d => $"{d.Kind}/{d.Name} ({d.Root.Location})")
            .Concat(objects.Select(o => $"{Text(o, "kind")}/{(o.TryGetProperty("metadata", out var m) ? Text(m, "name") : "")} (k8s)"))
            .ToList();

    private static string Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
}
