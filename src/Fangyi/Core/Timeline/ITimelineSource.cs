namespace Fangyi.Core.Timeline;

/// <summary>
/// A capability's share of the person page's timeline. Each capability that keeps events about a person registers
/// one (<c>services.AddSingleton&lt;ITimelineSource, ...&gt;()</c>); the person page merges them by time. The page
/// calls a source only for a resident it has found inside the caller's jurisdiction, so a source lists that
/// person's events by resident id, wherever in the city they happened, and shows no other person's data.
/// </summary>
public interface ITimelineSource
{
    Task<IReadOnlyList<TimelineEntry>> ForResidentAsync(long residentId, CancellationToken ct);
}
