using System.Data.Common;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Tasks;

/// <summary>
/// Tasks' public API for other capabilities: open, withdraw and close tasks inside the caller's own transaction (an
/// ingest batch, so a result and the tasks it opens commit together), and read the list and its counts. A task is
/// routed by the division it carries, the village of the person's residence.
/// </summary>
public static class TaskBoard
{
    /// <summary>
    /// A task to open: its kind, the person, the division it is routed to (the village of residence, or the quarantine
    /// site's division) and what it came from (a tube code, a round, a case); due when its kind says unless
    /// <see cref="DueAt"/> names the time (a policy's deadline, a test on a set day).
    /// </summary>
    public sealed record NewTask(string Kind, long ResidentId, long Division, string Source, long? DueAt = null);

    /// <summary>A task another capability finished: the open task of this kind, person and source is done for the reason.</summary>
    public sealed record Finished(string Kind, long ResidentId, string Source, string Reason, long? By = null);

    /// <summary>A person sampled in a round; in a single tube or a pooled one.</summary>
    public sealed record Sampled(long ResidentId, long RoundId, bool SingleTube);

    /// <summary>What a door-to-door task of a round names as its source.</summary>
    public static string RoundSource(long roundId) => "round:" + roundId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static Task OpenAsync(IngestBatch batch, IReadOnlyCollection<NewTask> tasks, CancellationToken ct = default) =>
        batch.WriteEachAsync(
            "INSERT INTO tasks (kind, resident_id, division, source, due_at, state, created_at) VALUES (@kind, @resident, @division, @source, @due, 'open', @now)",
            ["kind", "resident", "division", "source", "due", "now"], tasks,
            t => [t.Kind, t.ResidentId, t.Division, t.Source, t.DueAt ?? batch.Now + (long)TaskKinds.DueAfter(t.Kind).TotalMilliseconds, batch.Now], ct);

    /// <summary>Marks done the open tasks the owning capability finished (a case decided, a person checked in).</summary>
    public static Task FinishAsync(IngestBatch batch, IReadOnlyCollection<Finished> finished, CancellationToken ct = default) =>
        batch.WriteEachAsync(
            "UPDATE tasks SET state = 'done', reason = @reason, closed_by = @by, closed_at = @now WHERE kind = @kind AND resident_id = @resident AND source = @source AND state = 'open'",
            ["reason", "by", "now", "kind", "resident", "source"], finished, f => [f.Reason, f.By, batch.Now, f.Kind, f.ResidentId, f.Source], ct);

    /// <summary>
    /// Cancels the open tasks of a kind that a source opened, for a reason of <see cref="TaskReasons"/> (a case handed to
    /// another county, a stay ended before its tests).
    /// </summary>
    public static Task CancelAsync(IngestBatch batch, string kind, IReadOnlyCollection<string> sources, string reason, CancellationToken ct = default) =>
        batch.WriteEachAsync(
            "UPDATE tasks SET state = 'cancelled', reason = @reason, closed_at = @now WHERE source = @source AND kind = @kind AND state = 'open'",
            ["reason", "now", "source", "kind"], sources, s => [reason, batch.Now, s, kind], ct);

    /// <summary>Withdraws the open retest and re-sample tasks a source opened (a result that was corrected).</summary>
    public static Task WithdrawAsync(IngestBatch batch, IReadOnlyCollection<string> sources, CancellationToken ct = default) =>
        batch.WriteEachAsync(
            "UPDATE tasks SET state = 'cancelled', reason = 'withdrawn', closed_at = @now WHERE source = @source AND kind IN ('retest', 'resample') AND state = 'open'",
            ["now", "source"], sources, s => [batch.Now, s], ct);

    /// <summary>
    /// Closes what a sample does: any sample ends a re-sample task and the round's door-to-door task; only a single
    /// tube ends a single-tube retest or a test on an isolation's day (at a site or at home), and only within the day before it is due (a test
    /// owed on day 7 is not done by the sample of day 1).
    /// </summary>
    public static Task CloseSampledAsync(IngestBatch batch, IReadOnlyCollection<Sampled> sampled, CancellationToken ct = default) =>
        batch.WriteEachAsync(
            """
            UPDATE tasks SET state = 'done', reason = 'sampled', closed_at = @now
            WHERE resident_id = @resident AND state = 'open'
              AND (kind = 'resample' OR (kind IN ('retest', 'quarantine_test', 'isolation_test') AND @single = 1 AND due_at - 86400000 <= @now) OR (kind = 'door_to_door' AND source = @round))
            """,
            ["now", "resident", "single", "round"], sampled, s => [batch.Now, s.ResidentId, s.SingleTube ? 1 : 0, RoundSource(s.RoundId)], ct);

    /// <summary>A task as the lists show it (the person's details come from the registry).</summary>
    public sealed record Row
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public long ResidentId { get; init; }
        public long Division { get; init; }
        public string Source { get; init; } = "";
        public long DueAt { get; init; }
        public string State { get; init; } = "";
        public string? Reason { get; init; }
        public string? Note { get; init; }
        public long? NotifiedAt { get; init; }
        public long CreatedAt { get; init; }
        public long? ClosedBy { get; init; }
        public long? ClosedAt { get; init; }
    }

    /// <summary>
    /// Which tasks a list wants, inside the caller's jurisdiction: an area, a kind, a state ("all" for every state), and
    /// only those open past <see cref="DueBefore"/>.
    /// </summary>
    public sealed record Filter(Scope Area, string? Kind = null, string? State = TaskStates.Open, long? DueBefore = null, int Limit = 2000);

    internal const string Columns = "id, kind, resident_id AS ResidentId, division, source, due_at AS DueAt, state, reason, note, notified_at AS NotifiedAt, created_at AS CreatedAt, closed_by AS ClosedBy, closed_at AS ClosedAt";

    public static Task<List<Row>> ListAsync(ScopedDb db, Filter filter, CancellationToken ct = default)
    {
        var sql = $"SELECT {Columns} FROM tasks WHERE division BETWEEN @low AND @high AND {{scope:division}}";
        var args = new DynamicParameters(new { low = filter.Area.Low, high = filter.Area.High, limit = filter.Limit });
        if (filter.Kind is { } kind)
        {
            sql += " AND kind = @kind";
            args.Add("kind", kind);
        }
        if (filter.State is { } state && state != "all")
        {
            sql += " AND state = @state";
            args.Add("state", state);
        }
        if (filter.DueBefore is { } due)
        {
            sql += " AND state = 'open' AND due_at <= @due";
            args.Add("due", due);
        }
        // Overdue first, then the earliest due: what is late is what the worker does first.
        return db.QueryAsync<Row>(sql + " ORDER BY due_at, id LIMIT @limit", args, ct);
    }

    public static Task<Row?> FindAsync(ScopedDb db, long id, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM tasks WHERE id = @id AND {{scope:division}}", new { id }, ct);

    /// <summary>
    /// The closed door-to-door tasks of a round in an area, counted per child division (the code divided by
    /// <paramref name="width"/>) and reason, for coverage: who was visited and why they were not sampled.
    /// </summary>
    public static async Task<List<(long Child, string Reason, long Count)>> VisitsByChildAsync(ScopedDb db, long roundId, Scope area, long width, CancellationToken ct = default) =>
        await db.QueryAsync<(long Child, string Reason, long Count)>(
            $"SELECT division / {width} AS child, reason, COUNT(*) FROM tasks WHERE kind = 'door_to_door' AND source = @source AND state = 'done' AND reason <> 'sampled' AND division BETWEEN @low AND @high AND {{scope:division}} GROUP BY division / {width}, reason",
            new { source = RoundSource(roundId), low = area.Low, high = area.High }, ct);

    /// <summary>A task kept elsewhere before this list existed, moved here with its state and times.</summary>
    public sealed record Moved(string Kind, long ResidentId, long Division, string Source, string State, long CreatedAt, long? ClosedAt);

    public static Task MoveInAsync(DbConnection connection, DbTransaction tx, IReadOnlyCollection<Moved> rows, CancellationToken ct = default) =>
        connection.ExecuteEachAsync(tx,
            "INSERT INTO tasks (kind, resident_id, division, source, due_at, state, reason, created_at, closed_at) VALUES (@kind, @resident, @division, @source, @due, @state, @reason, @created, @closed)",
            ["kind", "resident", "division", "source", "due", "state", "reason", "created", "closed"], rows,
            r => [r.Kind, r.ResidentId, r.Division, r.Source, r.CreatedAt + (long)TaskKinds.DueAfter(r.Kind).TotalMilliseconds, r.State,
                r.State == TaskStates.Cancelled ? TaskReasons.Withdrawn : r.State == TaskStates.Done ? TaskReasons.Sampled : null, r.CreatedAt, r.ClosedAt], ct);
}
