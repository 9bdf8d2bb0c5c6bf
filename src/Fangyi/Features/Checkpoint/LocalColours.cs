namespace Fangyi.Features.Checkpoint;

public sealed record LocalColours
{
    // The colour at least, while a person's latest result is positive.
    public string Positive { get; init; } = "red";

    // The colour at least, while a person's latest result is mixed-positive awaiting the single-tube retest.
    public string MixedPositive { get; init; } = "red";
}
