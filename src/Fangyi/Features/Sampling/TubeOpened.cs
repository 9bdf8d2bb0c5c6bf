namespace Fangyi.Features.Sampling;

public sealed record TubeOpened(long RoundId, long Division) : CustodyChange(RoundId, Division);
