using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplianceHub.Web.Api;

/// <summary>
/// Request bodies' text may not hold a NUL character (<c>\u0000</c>): PostgreSQL cannot store it, so it would fail the
/// save as a 500. The body binder refuses it instead, and <see cref="JsonBindingProblems"/> turns that into a 400 naming
/// the field.
/// </summary>
internal sealed class NulFreeStrings : JsonConverter<string>
{
    public const string Refusal = "The text holds a NUL character.";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0', StringComparison.Ordinal) ? throw new JsonException(Refusal) : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
