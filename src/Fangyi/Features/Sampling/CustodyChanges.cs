namespace Fangyi.Features.Sampling;

/// <summary>
/// What an accepted sampling or custody scan changed, noted on its ingest item for whoever counts after the
/// commit (the command dashboard). A scan that changed nothing (a box opened again to resume it, a result sent
/// twice) notes nothing. <c>Division</c> is the site's, where boxes and tubes are counted; <c>Residence</c> is
/// where a person lives, where samples and results are counted.
/// </summary>
public abstract record CustodyChange(long RoundId, long Division);

public sealed record BoxOpened(long RoundId, long Division) : CustodyChange(RoundId, Division);

public sealed record TubeOpened(long RoundId, long Division) : CustodyChange(RoundId, Division);

/// <param name="FirstInRound">The person's first sample of the round still standing: they count as sampled from now.</param>
public sealed record PersonSampled(long RoundId, long Division, long Residence, long At, bool FirstInRound) : CustodyChange(RoundId, Division);

/// <param name="PersonGone">The sample taken out was the one that counted the person as sampled in the round.</param>
/// <param name="CountedAt">Where the person now counts instead (their other sample of the round), when it took over.</param>
public sealed record SampleRemoved(long RoundId, long Division, long ResidentId, long Residence, long SampledAt, bool PersonGone, long? CountedAt) : CustodyChange(RoundId, Division);

public sealed record TubeSealed(long RoundId, long Division) : CustodyChange(RoundId, Division);

/// <param name="Tubes">Sealed tubes that went into the box (sealed → boxed).</param>
public sealed record BoxSealed(long RoundId, long Division, int Tubes) : CustodyChange(RoundId, Division);

public sealed record BoxPickedUp(long RoundId, long Division) : CustodyChange(RoundId, Division);

/// <summary>One tube of a received box: the state it left, when it was sealed and how many people it holds.</summary>
public readonly record struct ReceivedTube(string FromState, long? SealedAt, int People);

public sealed record BoxReceived(long RoundId, long Division, long At, IReadOnlyList<ReceivedTube> Tubes) : CustodyChange(RoundId, Division);

/// <summary>One person's sample in a resulted tube: where they live and what the result means for them.</summary>
public readonly record struct PersonResult(long ResidentId, long Residence, long SampledAt, string Result);

/// <param name="Mixed">A tube of more than one person: a positive one is a mixed positive (混管阳性).</param>
/// <param name="BoxToTesting">The tube's box went from received to testing with this result.</param>
public sealed record TubeResulted(long RoundId, long Division, string Result, bool Mixed, long At, long? SealedAt, long? ReceivedAt, int People,
    bool BoxToTesting, IReadOnlyList<PersonResult> Samples) : CustodyChange(RoundId, Division);
