using System.Text.Json;
using System.Text.Json.Serialization;

namespace ComplianceHub.Web.Api;

/// <summary>
/// Request bodies' text may not hold a NUL character (<c>\u0000</c>): PostgreSQL cannot store it, so it would fail the
/// save as a 500. The body binder refuses it instead, and <see cref="JsonBindingProblems"/> turns that into a 400 naming
/// the field. So is text longer than <see cref="ApiBounds.MaxText"/>, which no column could hold.
/// </summary>
internal sealed class NulFreeStrings : JsonConverter<string>
{
    public const string Refusal = "The text holds a NUL character.";
    public const string TooLong = "The text is too long.";

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value switch
        {
            { Length: > ApiBounds.MaxText } => throw new JsonException(TooLong),
            not null when value.Contains('\0', StringComparison.Ordinal) => throw new JsonException(Refusal),
            _ => value,
        };
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
