namespace Fangyi.Features.Checkpoint;

public sealed record ColourFact(string Value, string Reason, long? Since)
{
    // Where the colour came from, one of ColourSources.
    public string Source { get; init; } = ColourSources.Feed;
}
