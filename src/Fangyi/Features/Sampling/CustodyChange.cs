namespace Fangyi.Features.Sampling;

// What an accepted sampling or custody scan changed, noted on its ingest item for whoever counts after the
// commit (the command dashboard). A scan that changed nothing (a box opened again to resume it, a result sent
// twice) notes nothing. Division is the site's, where boxes and tubes are counted; Residence is
// where a person lives, where samples and results are counted.
public abstract record CustodyChange(long RoundId, long Division);
