namespace Fangyi.Features.Checkpoint;

public sealed record TravelFact(bool FromRiskArea, string? Area, long? ArrivedAt)
{
    // medium or high, when the arrival was from a risk area.
    public string? Level { get; init; }
}
