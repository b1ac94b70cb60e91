using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Fabric.Node.Api;

/// <summary>GET /v1/health: answers without the store so a client can tell "agent down" from "store slow"; the CLI
/// takes the NODE column from it.</summary>
internal static class HealthRoute
{
    public static void Map(IEndpointRouteBuilder routes, ApiContext api) =>
        routes.MapGet("/v1/health", () => ApiResults.Json(new HealthDocument(api.NodeName, "ok")));
}
