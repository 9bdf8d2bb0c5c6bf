namespace Fangyi.Features.Sampling;

// One person's sample in a resulted tube: where they live and what the result means for them.
public readonly record struct PersonResult(long ResidentId, long Residence, long SampledAt, string Result);
