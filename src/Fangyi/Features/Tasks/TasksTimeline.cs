using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Core.Timeline;

namespace Fangyi.Features.Tasks;

/// <summary>A person's tasks on the person page: when each was opened for them, and how it ended.</summary>
public sealed class TasksTimeline(Store store) : ITimelineSource
{
    private sealed record TaskLine
    {
        public string Kind { get; init; } = "";
        public string State { get; init; } = "";
        public string? Reason { get; init; }
        public string? Note { get; init; }
        public long CreatedAt { get; init; }
        public long DueAt { get; init; }
        public long? NotifiedAt { get; init; }
        public long? ClosedAt { get; init; }
    }

    public async Task<IReadOnlyList<TimelineEntry>> ForResidentAsync(long residentId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var tasks = await connection.QueryAsync<TaskLine>(new CommandDefinition(
            """
            SELECT kind AS Kind, state AS State, reason AS Reason, note AS Note, created_at AS CreatedAt, due_at AS DueAt, notified_at AS NotifiedAt, closed_at AS ClosedAt
            FROM tasks WHERE resident_id = @residentId
            """, new { residentId }, cancellationToken: ct));
        var entries = new List<TimelineEntry>();
        foreach (var t in tasks.OrderByDescending(t => t.CreatedAt))
        {
            var name = TaskKinds.Names.GetValueOrDefault(t.Kind, t.Kind);
            var reason = t.Reason is null ? null : TaskReasons.Names.GetValueOrDefault(t.Reason, t.Reason);
            var detail = string.Join("，", new[] { reason, t.Note }.Where(x => !string.IsNullOrWhiteSpace(x)));
            if (t.ClosedAt is { } closed)
            {
                entries.Add(new TimelineEntry(closed, "任务", $"{name}：{(t.State == TaskStates.Done ? "已完成" : "已撤销")}", detail.Length > 0 ? detail : null, t.State == TaskStates.Done ? "ok" : ""));
            }
            if (t.NotifiedAt is { } notified)
            {
                entries.Add(new TimelineEntry(notified, "任务", $"{name}：网格员已通知", t.ClosedAt is null && detail.Length > 0 ? detail : null));
            }
            entries.Add(new TimelineEntry(t.CreatedAt, "任务", $"{name}：已派发到村（社区）", $"限 {Core.Pages.ConsoleText.ShortTime(t.DueAt)} 前完成", "warn"));
        }
        return entries;
    }
}
