using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fangyi.Core.Http;

/// <summary>
/// Refuses a U+0000 in any string of a request body while it is read: PostgreSQL cannot store one (it answers
/// "invalid byte sequence" deep inside a query), and no name, number or code holds one.
/// </summary>
public sealed class NoNulCharactersConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("a string was expected");
        }
        var text = reader.GetString();
        return text is not null && text.Contains('\0', StringComparison.Ordinal) ? throw new JsonException("a string holds U+0000") : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
