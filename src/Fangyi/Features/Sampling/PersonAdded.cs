namespace Fangyi.Features.Sampling;

// The answer to a person added to a tube: the tube's count, and who (masked) went in.
public sealed record PersonAdded(string Tube, int Count, int Capacity, bool Full, bool RepeatInRound, long ResidentId, string Name, string IdMasked);
