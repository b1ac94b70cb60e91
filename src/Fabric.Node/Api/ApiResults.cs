using Microsoft.AspNetCore.Http;

namespace Fabric.Node.Api;

/// <summary>Every response body goes through <see cref="ApiJson.Options"/>, so redaction cannot be bypassed by a route.</summary>
internal static class ApiResults
{
    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, ApiJson.Options, "application/json", status);

    public static IResult Error(int status, string message) => Json(new ErrorDocument(message), status);

    public static IResult NotFound(string message) => Error(StatusCodes.Status404NotFound, message);

    public static IResult Unavailable(string message) => Error(StatusCodes.Status503ServiceUnavailable, message);
}
