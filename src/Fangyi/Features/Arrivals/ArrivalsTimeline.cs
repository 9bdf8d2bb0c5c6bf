using Dapper;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using Fangyi.Core.Timeline;

namespace Fangyi.Features.Arrivals;

/// <summary>A person's arrivals from elsewhere on the person page.</summary>
public sealed class ArrivalsTimeline(Store store, DivisionDirectory divisions) : ITimelineSource
{
    public async Task<IReadOnlyList<TimelineEntry>> ForResidentAsync(long residentId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var arrivals = await connection.QueryAsync<(long From, long At)>(new CommandDefinition(
            "SELECT from_division, arrived_at FROM arrivals WHERE resident_id = @residentId", new { residentId }, cancellationToken: ct));
        return arrivals.Select(a => new TimelineEntry(a.At, "来返", "来返登记", "来自" + From(a.From), "warn")).ToList();
    }

    private string From(long division) => divisions.Tree.PathName(division) is { Length: > 0 } path ? path : division.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
