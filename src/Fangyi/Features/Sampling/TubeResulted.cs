namespace Fangyi.Features.Sampling;

// Mixed: A tube of more than one person: a positive one is a mixed positive (混管阳性).
// BoxToTesting: The tube's box went from received to testing with this result.
public sealed record TubeResulted(long RoundId, long Division, string Result, bool Mixed, long At, long? SealedAt, long? ReceivedAt, int People,
    bool BoxToTesting, IReadOnlyList<PersonResult> Samples) : CustodyChange(RoundId, Division);
