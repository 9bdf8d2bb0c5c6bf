namespace Fangyi.Features.Sampling;

// Tubes: Sealed tubes that went into the box (sealed → boxed).
public sealed record BoxSealed(long RoundId, long Division, int Tubes) : CustodyChange(RoundId, Division);
