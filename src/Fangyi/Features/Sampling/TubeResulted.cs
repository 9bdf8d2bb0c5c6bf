namespace Fangyi.Features.Sampling;

// Mixed: A tube of more than one person: a positive one is a mixed positive (混管阳性).
// Box: the states the tube's box went through with this result (received → testing, testing → done), in order.
public sealed record TubeResulted(long RoundId, long Division, string Result, bool Mixed, long At, long? SealedAt, long? ReceivedAt, int People,
    IReadOnlyList<BoxChanged> Box, IReadOnlyList<PersonResult> Samples) : CustodyChange(RoundId, Division);
