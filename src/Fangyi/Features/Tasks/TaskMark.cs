using System.Text.Json.Serialization;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Tasks;

/// <summary>
/// A village worker's mark on a task, made on the phone (offline too) with its own client id, so that the outbox's
/// retries land once: "visited" closes a door-to-door task with what was found at the door; "notified" notes that a
/// person was told to come for a retest (the retest itself is done by their single-tube sample).
/// </summary>
public sealed record TaskMark(long TaskId, string Action, string? Reason, string? Note)
{
    public const string Kind = "task.mark";
    public const string Visited = "visited";
    public const string Notified = "notified";

    [JsonIgnore]
    public Scope Scope { get; init; }

    [JsonIgnore]
    public long AccountId { get; init; }
}

/// <summary>What a mark left the task as.</summary>
public sealed record TaskMarked(long TaskId, string State, string? Reason, string? Note, long? NotifiedAt, long? ClosedAt);

// Applies marks in the ingest batch: reads the tasks they name once, checks each against the task's village and
// state (what the phone believed does not count), writes what changed.
internal sealed class TaskMarkHandler : IIngestHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [TaskMark.Kind];

    public async Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => ((TaskMark)i.Item.Payload).TaskId).Distinct().ToList();
        var tasks = (await batch.Connection.QueryInAsync<TaskBoard.Row, long>(batch.Transaction, batch.Dialect,
            $"SELECT {TaskBoard.Columns} FROM tasks WHERE {{in}}", "id", ids, ct)).ToDictionary(t => t.Id);
        var changed = new Dictionary<long, TaskBoard.Row>();
        foreach (var item in items)
        {
            var mark = (TaskMark)item.Item.Payload;
            if (!tasks.TryGetValue(mark.TaskId, out var task) || !mark.Scope.Contains(task.Division))
            {
                item.Refuse(TasksProblems.TaskUnknown);
                continue;
            }
            if (task.State != TaskStates.Open)
            {
                item.Refuse(TasksProblems.TaskClosed);
                continue;
            }
            var door = task.Kind == TaskKinds.DoorToDoor;
            if (mark.Action == TaskMark.Visited != door)
            {
                item.Refuse(TasksProblems.MarkNotForKind);
                continue;
            }
            task = mark.Action == TaskMark.Visited
                ? task with { State = TaskStates.Done, Reason = mark.Reason, Note = mark.Note, ClosedBy = mark.AccountId, ClosedAt = item.Item.At }
                : task with { Note = mark.Note, NotifiedAt = item.Item.At };
            tasks[task.Id] = changed[task.Id] = task;
            item.Accept(new TaskMarked(task.Id, task.State, task.Reason, task.Note, task.NotifiedAt, task.ClosedAt));
        }
        await batch.WriteEachAsync(
            "UPDATE tasks SET state = @state, reason = @reason, note = @note, notified_at = @notified, closed_by = @by, closed_at = @closed WHERE id = @id",
            ["state", "reason", "note", "notified", "by", "closed", "id"], changed.Values,
            t => [t.State, t.Reason, t.Note, t.NotifiedAt, t.ClosedBy, t.ClosedAt, t.Id], ct);
    }
}
