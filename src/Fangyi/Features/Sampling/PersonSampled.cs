namespace Fangyi.Features.Sampling;

/// <param name="FirstInRound">The person's first sample of the round still standing: they count as sampled from now.</param>
public sealed record PersonSampled(long RoundId, long Division, long Residence, long At, bool FirstInRound) : CustodyChange(RoundId, Division);
