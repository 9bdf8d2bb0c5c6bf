using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fangyi.Core.Http;

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
