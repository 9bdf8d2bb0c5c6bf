namespace Fangyi.Features.Sampling;

/// <param name="Tubes">Sealed tubes that went into the box (sealed → boxed).</param>
public sealed record BoxSealed(long RoundId, long Division, int Tubes) : CustodyChange(RoundId, Division);
