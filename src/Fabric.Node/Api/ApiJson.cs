using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Fabric.Actors.Json;

namespace Fabric.Node.Api;

/// <summary>Fabric's resource JSON shape with secrets masked: every API response is written with these options.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(FabricJson.Options)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { SecretRedaction.Modify } },
            // Read by people and scripts, never embedded in HTML: keep quotes and '+' readable instead of \u0022.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly();
        return options;
    }
}
