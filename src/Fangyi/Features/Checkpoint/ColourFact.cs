namespace Fangyi.Features.Checkpoint;

public sealed record ColourFact(string Value, string Reason, long? Since)
{
    // Where the colour came from: feed, nucleic_acid (a local result made it worse), hold, health_code.
    public string Source { get; init; } = "feed";
}
