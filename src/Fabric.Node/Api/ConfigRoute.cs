using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Fabric.Node.Api;

/// <summary>POST /v1/config: the body is the machine config YAML; 200 when applied, 422 when rejected.</summary>
internal static class ConfigRoute
{
    public static void Map(IEndpointRouteBuilder routes, ApiContext api) =>
        // Typed as a Func so the returned IResult is written; a bare HttpContext lambda would bind as a RequestDelegate.
        routes.MapPost("/v1/config", (Func<HttpContext, Task<IResult>>)(ctx => Apply(ctx, api)));

    private static async Task<IResult> Apply(HttpContext ctx, ApiContext api)
    {
        string yaml;
        try
        {
            using var reader = new StreamReader(ctx.Request.Body);
            yaml = await reader.ReadToEndAsync(ctx.RequestAborted);
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's body size limit lands here.
            return ApiResults.Error(e.StatusCode, $"config not read: {e.Message}");
        }

        ApplyOutcome outcome;
        try
        {
            outcome = await api.Applier.ApplyAsync(yaml, ctx.RequestAborted);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return Results.StatusCode(499);
        }
        catch (Exception e)
        {
            return ApiResults.Error(StatusCodes.Status500InternalServerError, $"applying the config failed: {e.Message}");
        }

        var document = new ApplyDocument(outcome.Applied, outcome.Applied ? outcome.Generation : null, outcome.Diagnostics);
        return ApiResults.Json(document, outcome.Applied ? StatusCodes.Status200OK : StatusCodes.Status422UnprocessableEntity);
    }
}
