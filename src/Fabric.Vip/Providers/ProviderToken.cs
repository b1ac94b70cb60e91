namespace Fabric.Vip.Providers;

/// <summary>Token lookup and redaction shared by the provider announcers.</summary>
internal static class ProviderToken
{
    /// <summary>The token from config, else the first environment variable that is set. Environment lookup is
    /// injectable so tests do not depend on (or leak into) the process environment.</summary>
    public static string? Resolve(string? configured, Func<string, string?> getEnv, params string[] envNames)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return configured.Trim();
        foreach (var name in envNames)
        {
            var value = getEnv(name);
            if (!string.IsNullOrWhiteSpace(value))
                return value.Trim();
        }
        return null;
    }

    /// <summary>Removes the token from text that came from outside (response bodies, exception messages):
    /// a misbehaving proxy or API that echoes the request must not put the secret into our status output.</summary>
    public static string Redact(string text, string? token) =>
        string.IsNullOrEmpty(token) || string.IsNullOrEmpty(text)
            ? text
            : text.Replace(token, "[redacted]", StringComparison.Ordinal);
}
