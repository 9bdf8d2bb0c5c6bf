namespace Fangyi.Features.Sampling;

// FirstInRound: The person's first sample of the round still standing: they count as sampled from now.
public sealed record PersonSampled(long RoundId, long Division, long Residence, long At, bool FirstInRound) : CustodyChange(RoundId, Division);
