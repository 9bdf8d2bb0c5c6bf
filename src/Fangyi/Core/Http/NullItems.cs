using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Core.Http;

/// <summary>A list in a request body held a <c>null</c> where an item belongs.</summary>
[SuppressMessage("Design", "CA1032", Justification = "The exception exists to carry the index of the null item.")]
public sealed class NullListItemException(int index) : JsonException($"item {index} is null")
{
    public int Index { get; } = index;
}

/// <summary>An item type whose batch handler refuses null items itself, naming the index in its problem.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NullItemsCheckedByHandlerAttribute : Attribute;

/// <summary>
/// Refuses <c>[..., null, ...]</c> in any request list of objects while the body is read, so no handler meets a null
/// item half-way through a batch (the whole request is a 400 naming the index, before anything is queued).
/// </summary>
public sealed class NoNullItemsConverterFactory : JsonConverterFactory
{
    private readonly ConcurrentDictionary<JsonSerializerOptions, JsonSerializerOptions> _inner = new();

    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(List<>) && typeToConvert.GetGenericArguments()[0] is { IsClass: true } item && item != typeof(string)
        && !item.IsDefined(typeof(NullItemsCheckedByHandlerAttribute), inherit: false);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options)
    {
        var inner = _inner.GetOrAdd(options, o =>
        {
            var copy = new JsonSerializerOptions(o);
            copy.Converters.Remove(this);
            return copy;
        });
        return (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]), inner)!;
    }

    private sealed class Converter<T>(JsonSerializerOptions inner) : JsonConverter<List<T>> where T : class
    {
        public override List<T>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("an array was expected");
            }
            var list = new List<T>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    throw new NullListItemException(list.Count);
                }
                list.Add(JsonSerializer.Deserialize<T>(ref reader, inner)!);
            }
            return list;
        }

        public override void Write(Utf8JsonWriter writer, List<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, inner);
    }
}

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
