namespace Fangyi.Features.Sampling;

public sealed record BoxReceived(long RoundId, long Division, long At, IReadOnlyList<ReceivedTube> Tubes) : CustodyChange(RoundId, Division);
