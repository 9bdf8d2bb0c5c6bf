using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Core.Timeline;

namespace Fangyi.Features.Screening;

/// <summary>A person's screening on the person page: every source that named them, and every step of their case.</summary>
public sealed class ScreeningTimeline(Store store) : ITimelineSource
{
    private sealed record Line
    {
        public string Kind { get; init; } = "";
        public string? Source { get; init; }
        public string? Text { get; init; }
        public long At { get; init; }
    }

    public async Task<IReadOnlyList<TimelineEntry>> ForResidentAsync(long residentId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var lines = await connection.QueryAsync<Line>(new CommandDefinition(
            """
            SELECT 'entry' AS Kind, e.source AS Source, e.reason AS Text, e.at AS At FROM screening_entries e JOIN screening_cases c ON c.id = e.case_id WHERE c.resident_id = @residentId
            UNION ALL
            SELECT s.kind AS Kind, NULL AS Source, s.detail AS Text, s.at AS At FROM screening_steps s JOIN screening_cases c ON c.id = s.case_id WHERE c.resident_id = @residentId
            """, new { residentId }, cancellationToken: ct));
        return lines.OrderByDescending(l => l.At).Select(l => l.Kind == "entry"
            ? new TimelineEntry(l.At, "排查", "纳入待排查：" + ScreeningSources.Names.GetValueOrDefault(l.Source ?? "", l.Source ?? ""), l.Text, "warn")
            : new TimelineEntry(l.At, "排查", ScreeningKinds.StepNames.GetValueOrDefault(l.Kind, l.Kind), l.Text, l.Kind == "decide" && l.Text?.StartsWith("排除", StringComparison.Ordinal) == true ? "ok" : l.Kind == "decide" ? "bad" : "")).ToList();
    }
}
