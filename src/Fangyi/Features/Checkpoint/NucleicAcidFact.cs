namespace Fangyi.Features.Checkpoint;

public sealed record NucleicAcidFact(string State, long? SampledAt, double? Hours, bool WithinWindow, int WindowHours)
{
    // A newer sample still waiting for its result, when the fact shown is an earlier negative.
    public long? PendingSampledAt { get; init; }
}
