namespace Fangyi.Features.Sampling;

/// <summary>The answer to a person added to a tube: the tube's count, and who (masked) went in.</summary>
public sealed record PersonAdded(string Tube, int Count, int Capacity, bool Full, bool RepeatInRound, long ResidentId, string Name, string IdMasked);
