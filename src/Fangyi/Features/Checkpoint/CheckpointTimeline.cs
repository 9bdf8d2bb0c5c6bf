using Dapper;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Core.Timeline;

namespace Fangyi.Features.Checkpoint;

/// <summary>A person's checks at doors and their health-code colour on the person page.</summary>
public sealed class CheckpointTimeline(Store store) : ITimelineSource
{
    private sealed record CheckLine
    {
        public long At { get; init; }
        public string Place { get; init; } = "";
        public string Verdict { get; init; } = "";
        public string? Colour { get; init; }
    }

    private sealed record ColourLine
    {
        public string Colour { get; init; } = "";
        public string Reason { get; init; } = "";
        public long Since { get; init; }
    }

    public async Task<IReadOnlyList<TimelineEntry>> ForResidentAsync(long residentId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var checks = await connection.QueryAsync<CheckLine>(new CommandDefinition(
            "SELECT c.at AS At, p.name AS Place, c.verdict AS Verdict, c.colour AS Colour FROM checks c JOIN places p ON p.id = c.place_id WHERE c.resident_id = @residentId ORDER BY c.at DESC LIMIT 200",
            new { residentId }, cancellationToken: ct));
        var colour = await connection.QuerySingleOrDefaultAsync<ColourLine>(new CommandDefinition(
            "SELECT colour AS Colour, reason AS Reason, since AS Since FROM health_colours WHERE resident_id = @residentId", new { residentId }, cancellationToken: ct));
        var entries = checks.Select(c => new TimelineEntry(c.At, "核验", $"{c.Place}：{VerdictName(c.Verdict)}", c.Colour is { } k ? ColourName(k) : null,
            c.Verdict == Verdicts.Pass ? "ok" : "warn")).ToList();
        if (colour is not null)
        {
            var parsed = StatusNames.ParseColour(colour.Colour) ?? HealthColour.Green;
            entries.Add(new TimelineEntry(colour.Since, "赋码", "健康码：" + parsed.ChineseName(), colour.Reason,
                parsed switch { HealthColour.Red => "bad", HealthColour.Yellow => "warn", _ => "ok" }));
        }
        return entries;
    }

    private static string ColourName(string colour) => (StatusNames.ParseColour(colour) ?? HealthColour.Green).ChineseName();

    public static string VerdictName(string verdict) => verdict switch
    {
        Verdicts.Pass => "通行",
        Verdicts.Check => "人工核查",
        Verdicts.ResultTimedOut => "核酸结果超时",
        Verdicts.ResultPending => "结果未出",
        Verdicts.NoResult => "无核酸记录",
        Verdicts.ResultInvalid => "样本无效",
        Verdicts.VaccinationRequired => "未完成接种",
        Verdicts.NotFound => "查无此人",
        _ => verdict,
    };
}
