namespace Fangyi.Features.Checkpoint;

public sealed record PlaceView(string Name, string Category)
{
    public string CategoryName { get; init; } = "";
}
