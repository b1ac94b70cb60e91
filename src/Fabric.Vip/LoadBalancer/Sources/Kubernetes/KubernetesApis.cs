using System.Text.Json;
using k8s;
using k8s.Models;

namespace Fabric.Vip.LoadBalancer.Sources.Kubernetes;

/// <summary>The list/watch pairs the source uses, on the official client.</summary>
public static class KubernetesApis
{
    public static IListWatchApi<V1Service> Services(IKubernetes client) => new ServicesApi(client);
    public static IListWatchApi<V1EndpointSlice> EndpointSlices(IKubernetes client) => new EndpointSlicesApi(client);
    /// <summary>One MetalLB kind in one namespace: MetalLB reads only the namespace it runs in, so copies elsewhere
    /// are not its config (and must not clash by name with it).</summary>
    public static IListWatchApi<JsonElement> MetalLb(IKubernetes client, MetalLbKind kind, string ns) => new CustomObjectsApi(client, kind, ns);

    private static string KeyOf(V1ObjectMeta meta) => $"{meta.NamespaceProperty}/{meta.Name}";

    private sealed class ServicesApi(IKubernetes client) : IListWatchApi<V1Service>
    {
        public string Resource => "services";

        public async Task<ListedObjects<V1Service>> ListAsync(CancellationToken cancellation)
        {
            var list = await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellation).ConfigureAwait(false);
            return new ListedObjects<V1Service>(list.Items.ToList(), list.Metadata.ResourceVersion);
        }

        public IAsyncEnumerable<WatchItem<V1Service>> WatchAsync(string resourceVersion, CancellationToken cancellation) =>
            WatchStreams.Adapt(onError => client.CoreV1.WatchListServiceForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellation),
                ResourceVersionOf, cancellation);

        public string KeyOf(V1Service item) => KubernetesApis.KeyOf(item.Metadata);
        public string ResourceVersionOf(V1Service item) => item.Metadata.ResourceVersion;
    }

    private sealed class EndpointSlicesApi(IKubernetes client) : IListWatchApi<V1EndpointSlice>
    {
        public string Resource => "endpointslices";

        public async Task<ListedObjects<V1EndpointSlice>> ListAsync(CancellationToken cancellation)
        {
            var list = await client.DiscoveryV1.ListEndpointSliceForAllNamespacesAsync(cancellationToken: cancellation).ConfigureAwait(false);
            return new ListedObjects<V1EndpointSlice>(list.Items.ToList(), list.Metadata.ResourceVersion);
        }

        public IAsyncEnumerable<WatchItem<V1EndpointSlice>> WatchAsync(string resourceVersion, CancellationToken cancellation) =>
            WatchStreams.Adapt(onError => client.DiscoveryV1.WatchListEndpointSliceForAllNamespacesAsync(
                allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError, cancellationToken: cancellation),
                ResourceVersionOf, cancellation);

        public string KeyOf(V1EndpointSlice item) => KubernetesApis.KeyOf(item.Metadata);
        public string ResourceVersionOf(V1EndpointSlice item) => item.Metadata.ResourceVersion;
    }

    /// <summary>MetalLB objects stay raw JSON: the config reader owns their meaning.</summary>
    private sealed class CustomObjectsApi(IKubernetes client, MetalLbKind kind, string ns) : IListWatchApi<JsonElement>
    {
        public string Resource => $"{kind.Plural}.{kind.Group}";

        public async Task<ListedObjects<JsonElement>> ListAsync(CancellationToken cancellation)
        {
            var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(
                group: kind.Group, version: kind.Version, namespaceParameter: ns, plural: kind.Plural, cancellationToken: cancellation).ConfigureAwait(false);
            var items = list.TryGetProperty("items", out var array) && array.ValueKind == JsonValueKind.Array
                ? array.EnumerateArray().Select(i => i.Clone()).ToList()
                : [];
            return new ListedObjects<JsonElement>(items, MetaString(list, "resourceVersion"));
        }

        public IAsyncEnumerable<WatchItem<JsonElement>> WatchAsync(string resourceVersion, CancellationToken cancellation) =>
            WatchStreams.Adapt(onError => Raw(client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                group: kind.Group, version: kind.Version, namespaceParameter: ns, plural: kind.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, onError: onError,
                cancellationToken: cancellation)), ResourceVersionOf, cancellation);

        private static async IAsyncEnumerable<(WatchEventType, JsonElement)> Raw(IAsyncEnumerable<(WatchEventType, object)> events)
        {
            await foreach (var (type, item) in events.ConfigureAwait(false))
                yield return (type, item is JsonElement json ? json : JsonSerializer.SerializeToElement(item));
        }

        public string KeyOf(JsonElement item) => $"{MetaString(item, "namespace")}/{MetaString(item, "name")}";
        public string ResourceVersionOf(JsonElement item) => MetaString(item, "resourceVersion");

        private static string MetaString(JsonElement item, string field) =>
            item.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object
            && meta.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()! : "";
    }
}
