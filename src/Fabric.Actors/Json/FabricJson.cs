using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Actors.Json;

/// <summary>The one JSON shape Fabric uses for resources on the API and for comparing specs.</summary>
public static class FabricJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.Converters.Add(new IpAddressConverter());
        options.Converters.Add(new IpPrefixConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class IpAddressConverter : JsonConverter<IPAddress>
    {
        public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IPAddress.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }

    private sealed class IpPrefixConverter : JsonConverter<IpPrefix>
    {
        public override IpPrefix Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            IpPrefix.Parse(reader.GetString()!);

        public override void Write(Utf8JsonWriter writer, IpPrefix value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString());
    }
}
