namespace Fangyi.Features.Sampling;

/// <param name="PersonGone">The sample taken out was the one that counted the person as sampled in the round.</param>
/// <param name="CountedAt">Where the person now counts instead (their other sample of the round), when it took over.</param>
public sealed record SampleRemoved(long RoundId, long Division, long ResidentId, long Residence, long SampledAt, bool PersonGone, long? CountedAt) : CustodyChange(RoundId, Division);
