namespace Fangyi.Features.Checkpoint;

/// <summary>A place (场所) where people are checked: a category (which rule applies) and a division (whose jurisdiction it is).</summary>
public sealed record Place
{
    public long Id { get; init; }
    public string Name { get; init; } = "";
    public string Category { get; init; } = "";
    public long Division { get; init; }
    public string Address { get; init; } = "";
    public long CreatedAt { get; init; }
}
