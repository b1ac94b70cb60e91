using System.Text.Json;

namespace Fabric.Vip.Providers;

/// <summary>Both provider APIs use snake_case JSON; unknown fields are ignored so that API additions do not
/// break failover.</summary>
internal static class ProviderJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
