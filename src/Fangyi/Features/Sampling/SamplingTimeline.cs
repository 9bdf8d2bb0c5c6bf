using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Core.Timeline;

namespace Fangyi.Features.Sampling;

/// <summary>A person's samples on the person page: where and in which tube, its result, and any correction of it.</summary>
public sealed class SamplingTimeline(Store store) : ITimelineSource
{
    private sealed record SampleLine
    {
        public long SampledAt { get; init; }
        public string TubeCode { get; init; } = "";
        public bool Removed { get; init; }
        public string? Result { get; init; }
        public long? ResultedAt { get; init; }
        public long Capacity { get; init; }
        public string Round { get; init; } = "";
        public string? Site { get; init; }
        public string BoxCode { get; init; } = "";
        public long? SealedAt { get; init; }
        public long? PickedAt { get; init; }
        public long? ReceivedAt { get; init; }
    }

    private sealed record CorrectionLine
    {
        public long CorrectedAt { get; init; }
        public string TubeCode { get; init; } = "";
        public string OldResult { get; init; } = "";
        public string NewResult { get; init; } = "";
        public string Reason { get; init; } = "";
    }

    public async Task<IReadOnlyList<TimelineEntry>> ForResidentAsync(long residentId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var samples = await connection.QueryAsync<SampleLine>(new CommandDefinition(
            """
            SELECT s.sampled_at AS SampledAt, s.tube_code AS TubeCode, s.removed AS Removed, s.result AS Result, s.resulted_at AS ResultedAt,
                   t.capacity AS Capacity, r.name AS Round, si.name AS Site,
                   t.box_code AS BoxCode, b.sealed_at AS SealedAt, b.picked_at AS PickedAt, t.received_at AS ReceivedAt
            FROM samples s JOIN tubes t ON t.code = s.tube_code JOIN rounds r ON r.id = s.round_id LEFT JOIN sites si ON si.id = t.site_id
            LEFT JOIN boxes b ON b.code = t.box_code
            WHERE s.resident_id = @residentId
            """, new { residentId }, cancellationToken: ct));
        var corrections = await connection.QueryAsync<CorrectionLine>(new CommandDefinition(
            """
            SELECT c.corrected_at AS CorrectedAt, c.tube_code AS TubeCode, c.old_result AS OldResult, c.new_result AS NewResult, c.reason AS Reason
            FROM result_corrections c
            WHERE c.tube_code IN (SELECT s.tube_code FROM samples s WHERE s.resident_id = @residentId AND s.removed = @no)
            """, new { residentId, no = false }, cancellationToken: ct));
        // Newest first, as the page lists them: a correction, then the result, then the sample it is of.
        var entries = corrections.OrderByDescending(c => c.CorrectedAt).Select(c => new TimelineEntry(c.CorrectedAt, "更正",
            $"结果更正：{SamplingText.ResultName(c.OldResult)} → {SamplingText.ResultName(c.NewResult)}", $"试管 {c.TubeCode}，原因：{c.Reason}", "warn")).ToList();
        foreach (var s in samples.OrderByDescending(s => s.SampledAt))
        {
            if (!s.Removed && s.Result is { } result && s.ResultedAt is { } at)
            {
                entries.Add(new TimelineEntry(at, "结果", "核酸结果：" + SamplingText.ResultName(result), $"试管 {s.TubeCode}", Tone(result)));
            }
            // The tube's way to the lab: the box sealed, picked up by the courier, the tube received at the lab.
            if (!s.Removed)
            {
                foreach (var (step, title) in new[] { (s.ReceivedAt, "实验室已接收"), (s.PickedAt, "转运员已取件"), (s.SealedAt, "已封箱") })
                {
                    if (step is { } when)
                    {
                        entries.Add(new TimelineEntry(when, "转运", title, $"转运箱 {s.BoxCode} · 试管 {s.TubeCode}"));
                    }
                }
            }
            var where = $"{s.Round} · {s.Site ?? "采样点"} · 试管 {s.TubeCode}（{SamplingText.MixingName(s.Capacity)}）";
            entries.Add(new TimelineEntry(s.SampledAt, "采样", s.Removed ? "采样（已撤回）" : "核酸采样", where, s.Removed ? "" : "ok"));
        }
        return entries;
    }

    private static string Tone(string result) => result == Core.Status.SampleResults.Negative ? "ok" : "bad";
}
