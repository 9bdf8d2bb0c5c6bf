namespace Fangyi.Features.Sampling;

public sealed record TubeSealed(long RoundId, long Division) : CustodyChange(RoundId, Division);
