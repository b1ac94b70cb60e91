using System.Text.Json;

namespace Fabric.Vip.Providers;

/// <summary>Reads the error a provider put in a failed response's body. Hetzner sends
/// <c>{"error":{"code","message"}}</c>; Equinix Metal sends <c>{"errors":["…"]}</c> (or <c>{"error":"…"}</c>).
/// Anything else (HTML from a proxy, empty) yields nothing rather than a parse failure, because the
/// status code alone still makes a usable message.</summary>
internal static class ApiErrorBody
{
    /// <summary>Longest message taken from a body, so that a proxy's error page does not flood the status.</summary>
    private const int MaxMessageLength = 300;

    public static (string? Code, string? Message) Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
            return (null, null);
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, null);

            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                    return (Text(error, "code"), Clip(Text(error, "message")));
                if (error.ValueKind == JsonValueKind.String)
                    return (null, Clip(error.GetString()));
            }

            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var messages = errors.EnumerateArray()
                    .Where(e => e.ValueKind == JsonValueKind.String)
                    .Select(e => e.GetString())
                    .Where(m => !string.IsNullOrWhiteSpace(m));
                var joined = string.Join("; ", messages);
                return (null, joined.Length == 0 ? null : Clip(joined));
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to "no details".
        }
        return (null, null);
    }

    private static string? Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Clip(string? s) =>
        s is null || s.Length <= MaxMessageLength ? s : s[..MaxMessageLength] + "…";
}
