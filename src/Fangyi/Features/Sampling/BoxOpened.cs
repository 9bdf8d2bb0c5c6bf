namespace Fangyi.Features.Sampling;

public sealed record BoxOpened(long RoundId, long Division) : CustodyChange(RoundId, Division);
