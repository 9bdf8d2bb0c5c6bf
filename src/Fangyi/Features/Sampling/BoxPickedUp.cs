namespace Fangyi.Features.Sampling;

public sealed record BoxPickedUp(long RoundId, long Division) : CustodyChange(RoundId, Division);
