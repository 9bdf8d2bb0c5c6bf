namespace Fangyi.Features.Checkpoint;

public sealed record ColourFact(string Value, string Reason, long? Since)
{
    // Where the colour came from, one of ColourSources.
    public string Source { get; init; } = ColourSources.Feed;

    // When a local hold ends (an isolation's last day): a guard tells the person when they may come.
    public long? Until { get; init; }
}
