using Dapper;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Screening;

/// <summary>
/// Reads of the pool, each inside the caller's jurisdiction: a level's list (one index range: division, state, due),
/// a case, its entries and steps, its counts. Screening's public reads for other capabilities are here too.
/// </summary>
public static class ScreeningPool
{
    /// <summary>
    /// Which cases a list wants: an area; a state ("live" for every state still worked, "all" for any); a source; only those open
    /// past <see cref="DueBefore"/>; only the unassigned queue; only the cases other jurisdictions handed to this area.
    /// </summary>
    public sealed record Filter(Scope Area, string State = "live", string? Source = null, long? DueBefore = null, bool Unassigned = false, bool HandedToUs = false, int Limit = 2000);

    public static Task<List<CaseRow>> ListAsync(ScopedDb db, Filter filter, CancellationToken ct = default)
    {
        var args = new DynamicParameters(new { low = filter.Area.Low, high = filter.Area.High, limit = filter.Limit });
        // A handover is found by where it goes, so the receiving side sees it before it owns it.
        var sql = filter.HandedToUs
            ? $"SELECT {CaseRow.Columns} FROM screening_cases WHERE handover_to BETWEEN @low AND @high AND {{scope:handover_to}} AND merged_into IS NULL"
            : $"SELECT {CaseRow.Columns} FROM screening_cases WHERE division BETWEEN @low AND @high AND {{scope:division}} AND merged_into IS NULL";
        if (filter.State == "live")
        {
            sql += " AND state IN ('open', 'awaiting_transfer', 'quarantined', 'home_isolation', 'monitoring')";
        }
        else if (filter.State != "all")
        {
            sql += " AND state = @state";
            args.Add("state", filter.State);
        }
        if (filter.Source is { } source)
        {
            sql += " AND id IN (SELECT case_id FROM screening_entries WHERE source = @source)";
            args.Add("source", source);
        }
        if (filter.DueBefore is { } due)
        {
            sql += " AND state = 'open' AND due_at <= @due";
            args.Add("due", due);
        }
        if (filter.Unassigned)
        {
            sql += " AND route = 'unassigned'";
        }
        return db.QueryAsync<CaseRow>(sql + " ORDER BY due_at, id LIMIT @limit", args, ct);
    }

    public static Task<CaseRow?> FindAsync(ScopedDb db, long id, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<CaseRow>($"SELECT {CaseRow.Columns} FROM screening_cases WHERE id = @id AND ({{scope:division}} OR handover_to BETWEEN @low AND @high)",
            new { id, low = db.Scope.Low, high = db.Scope.High }, ct);

    /// <summary>The sources each case was named by, in the order they first came.</summary>
    internal static async Task<Dictionary<long, List<string>>> SourcesAsync(Store store, IReadOnlyList<long> cases, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var rows = await connection.QueryInAsync<(long Case, string Source, long First, long FirstId), long>(null, store.Dialect,
            "SELECT case_id, source, MIN(at), MIN(id) FROM screening_entries WHERE {in} GROUP BY case_id, source", "case_id", cases, ct);
        return rows.GroupBy(r => r.Case).ToDictionary(g => g.Key, g => g.OrderBy(r => (r.First, r.FirstId)).Select(r => r.Source).ToList());
    }

    internal static async Task<byte[]?> PhoneHashAsync(Store store, long id, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<byte[]?>(new CommandDefinition("SELECT phone_hash FROM screening_cases WHERE id = @id", new { id }, cancellationToken: ct));
    }

    internal sealed record EntryRow
    {
        public string Source { get; init; } = "";
        public string Reason { get; init; } = "";
        public string? Payload { get; init; }
        public long At { get; init; }
    }

    internal sealed record StepRow
    {
        public string Kind { get; init; } = "";
        public string? Detail { get; init; }
        public long? FromDivision { get; init; }
        public long? ToDivision { get; init; }
        public long? AccountId { get; init; }
        public long At { get; init; }
    }

    internal static async Task<(List<EntryRow> Entries, List<StepRow> Steps)> HistoryAsync(Store store, long id, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var entries = (await connection.QueryAsync<EntryRow>(new CommandDefinition("SELECT source, reason, payload, at FROM screening_entries WHERE case_id = @id ORDER BY at, id", new { id }, cancellationToken: ct))).ToList();
        var steps = (await connection.QueryAsync<StepRow>(new CommandDefinition(
            "SELECT kind, detail, from_division AS FromDivision, to_division AS ToDivision, account_id AS AccountId, at FROM screening_steps WHERE case_id = @id ORDER BY at, id",
            new { id }, cancellationToken: ct))).ToList();
        return (entries, steps);
    }

    internal sealed record Counts(Dictionary<string, long> States, Dictionary<string, long> Sources, long Overdue, long Unassigned, long HandedToUs);

    internal static async Task<Counts> CountAsync(ScopedDb db, Scope area, long now, CancellationToken ct)
    {
        var args = new { low = area.Low, high = area.High, now };
        var states = (await db.QueryAsync<(string State, long Count)>(
            "SELECT state, COUNT(*) FROM screening_cases WHERE division BETWEEN @low AND @high AND {scope:division} AND merged_into IS NULL GROUP BY state", args, ct)).ToDictionary(r => r.State, r => r.Count);
        var sources = (await db.QueryAsync<(string Source, long Count)>(
            "SELECT e.source, COUNT(DISTINCT e.case_id) FROM screening_entries e JOIN screening_cases c ON c.id = e.case_id WHERE c.division BETWEEN @low AND @high AND {scope:c.division} AND c.merged_into IS NULL AND c.state IN ('open', 'awaiting_transfer', 'quarantined', 'home_isolation', 'monitoring') GROUP BY e.source",
            args, ct)).ToDictionary(r => r.Source, r => r.Count);
        var overdue = (await db.QueryAsync<long>("SELECT COUNT(*) FROM screening_cases WHERE division BETWEEN @low AND @high AND {scope:division} AND state = 'open' AND due_at <= @now AND merged_into IS NULL", args, ct))[0];
        var unassigned = (await db.QueryAsync<long>("SELECT COUNT(*) FROM screening_cases WHERE division BETWEEN @low AND @high AND {scope:division} AND state = 'open' AND route = 'unassigned' AND merged_into IS NULL", args, ct))[0];
        var handed = (await db.QueryAsync<long>("SELECT COUNT(*) FROM screening_cases WHERE handover_to BETWEEN @low AND @high AND {scope:handover_to} AND merged_into IS NULL", args, ct))[0];
        return new Counts(states, sources, overdue, unassigned, handed);
    }
}
