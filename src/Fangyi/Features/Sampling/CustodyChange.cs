namespace Fangyi.Features.Sampling;

/// <summary>
/// What an accepted sampling or custody scan changed, noted on its ingest item for whoever counts after the
/// commit (the command dashboard). A scan that changed nothing (a box opened again to resume it, a result sent
/// twice) notes nothing. <c>Division</c> is the site's, where boxes and tubes are counted; <c>Residence</c> is
/// where a person lives, where samples and results are counted.
/// </summary>
public abstract record CustodyChange(long RoundId, long Division);
