using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplianceHub.Core.Auditing;

/// <summary>
/// IP addresses and ranges in the trail as PostgreSQL prints them (<c>inet::text</c>, <c>cidr::text</c>): "203.0.113.7",
/// "203.0.113.0/24" — not System.Text.Json's walk over their properties (which throws on an IPv4 address's scope id).
/// </summary>
internal sealed class IPNetworkJsonConverter : JsonConverter<IPNetwork>
{
    public override IPNetwork Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => IPNetwork.Parse(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, IPNetwork value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <inheritdoc cref="IPNetworkJsonConverter"/>
internal sealed class IPAddressJsonConverter : JsonConverter<IPAddress>
{
    public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => IPAddress.Parse(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
