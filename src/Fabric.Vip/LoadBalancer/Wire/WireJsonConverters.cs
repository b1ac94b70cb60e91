using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fabric.Vip.LoadBalancer.Wire;

/// <summary>IP addresses as their text form ("192.0.2.10", "2001:db8::1"); IPAddress has no JSON shape of its own.</summary>
internal sealed class IpAddressJsonConverter : JsonConverter<IPAddress>
{
    public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        IPAddress.TryParse(reader.GetString(), out var ip) ? ip : throw new JsonException($"\"{reader.GetString()}\" is not an IP address");

    public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>128-bit counts (pool sizes) as decimal strings, which every JSON reader keeps exact.</summary>
internal sealed class UInt128JsonConverter : JsonConverter<UInt128>
{
    public override UInt128 Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        UInt128.TryParse(reader.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new JsonException($"\"{reader.GetString()}\" is not a count");

    public override void Write(Utf8JsonWriter writer, UInt128 value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
}
