using Fabric.Actors.Resources;
using Fabric.Actors.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using StoreList = Fabric.Actors.Store.List;

namespace Fabric.Node.Api;

/// <summary>GET /v1/resources/{type}[/{id}]: always a JSON array, one element when an id is given, so clients
/// handle both the same way.</summary>
internal static class ResourceRoutes
{
    public static void Map(IEndpointRouteBuilder routes, ApiContext api)
    {
        // One catch-all route serves both forms: ids contain slashes ("eth0/192.0.2.11/24") and even empty
        // segments ("inet4/192.0.2.1//1024"), and an empty catch-all means "the whole type".
        routes.MapGet("/v1/resources/{type}/{**id}",
            (string type, string? id, [FromQuery(Name = "namespace")] string? ns, CancellationToken ct) =>
                string.IsNullOrEmpty(id) ? List(api, type, ns, ct) : GetOne(api, type, id, ns, ct));
    }

    private static async Task<IResult> List(ApiContext api, string alias, string? ns, CancellationToken ct)
    {
        if (!ResourceKinds.TryResolve(alias, ns, out _, out var kind, out var error)) return error;
        var (reply, failed) = await StoreAsk.Ask<ListResult>(api, new StoreList(kind), ct);
        if (failed is not null) return failed;
        return ApiResults.Json(reply!.Resources.Select(ResourceDocument.Of).ToArray());
    }

    private static async Task<IResult> GetOne(ApiContext api, string alias, string id, string? ns, CancellationToken ct)
    {
        if (!ResourceKinds.TryResolve(alias, ns, out var type, out var kind, out var error)) return error;
        var (reply, failed) = await StoreAsk.Ask<GetResult>(api, new Get(new ResourceKey(kind.Namespace, kind.Type, id)), ct);
        if (failed is not null) return failed;
        if (reply!.Resource is null) return ApiResults.NotFound($"{type.Name} \"{id}\" not found in namespace {kind.Namespace}");
        return ApiResults.Json(new[] { ResourceDocument.Of(reply.Resource) });
    }
}
