namespace Fangyi.Features.Sampling;

// A lab reconciled a received box: Rejected are its tubes found missing or broken (received → rejected, with their
// people), Box the states the box went through.
public sealed record BoxReconciled(long RoundId, long Division, IReadOnlyList<ReceivedTube> Rejected, IReadOnlyList<BoxChanged> Box) : CustodyChange(RoundId, Division);
