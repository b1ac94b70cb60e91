using System.Text.Json.Serialization.Metadata;

namespace Fabric.Node.Api;

/// <summary>The single place secrets are kept out of API output: any property whose name says it holds a key, token or
/// password is written as "***", whatever its type, so a spec type added later is covered without touching the API.</summary>
public static class SecretRedaction
{
    public const string Mask = "***";

    private static readonly string[] SecretWords = ["privatekey", "presharedkey", "token", "password", "passphrase", "secret"];

    public static bool IsSecretName(string name)
    {
        var normalized = name.Replace("_", "").Replace("-", "").ToLowerInvariant();
        return SecretWords.Any(normalized.Contains);
    }

    /// <summary>A <see cref="DefaultJsonTypeInfoResolver"/> modifier.</summary>
    public static void Modify(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        for (var i = 0; i < typeInfo.Properties.Count; i++)
        {
            var property = typeInfo.Properties[i];
            if (property.Get is not null && IsSecretName(property.Name)) typeInfo.Properties[i] = Masked(typeInfo, property);
        }
    }

    // The replacement is string-typed so a secret held in a structured value (say a key object) is masked too.
    private static JsonPropertyInfo Masked(JsonTypeInfo owner, JsonPropertyInfo original)
    {
        var get = original.Get!;
        var masked = owner.CreateJsonPropertyInfo(typeof(string), original.Name);
        masked.Get = obj => get(obj) is null ? null : Mask;
        masked.Order = original.Order;
        return masked;
    }
}
