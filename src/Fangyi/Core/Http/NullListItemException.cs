using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fangyi.Core.Http;

/// <summary>A list in a request body held a <c>null</c> where an item belongs.</summary>
public sealed class NullListItemException(int index) : JsonException($"item {index} is null")
{
    public int Index { get; } = index;
}
