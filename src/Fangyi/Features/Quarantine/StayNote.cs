namespace Fangyi.Features.Quarantine;

/// <summary>
/// What a quarantine step changed for one person, noted on its ingest item for the status index and the counters:
/// the kind (a <see cref="StayChanges"/> kind, or "referred", "withdrawn", "handed_over", "health"), the division it
/// counts in (the village of residence, or the site's division), and the hold's end while one runs.
/// </summary>
public sealed record StayNote(long ResidentId, string Kind, long Division, long SiteId, long HoldUntil, bool Fever = false, int Beds = 0);
