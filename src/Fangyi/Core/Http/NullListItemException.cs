using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Fangyi.Core.Http;

/// <summary>A list in a request body held a <c>null</c> where an item belongs.</summary>
[SuppressMessage("Design", "CA1032", Justification = "The exception exists to carry the index of the null item.")]
public sealed class NullListItemException(int index) : JsonException($"item {index} is null")
{
    public int Index { get; } = index;
}
