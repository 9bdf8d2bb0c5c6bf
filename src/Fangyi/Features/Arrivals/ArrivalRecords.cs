using System.Data.Common;
using Dapper;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Arrivals;

/// <summary>
/// The arrivals on record. The checkpoint's feed writes them in its ingest batch, and reads them into the status
/// index at start; nothing else names the table.
/// </summary>
public static class ArrivalRecords
{
    /// <summary>The arrivals these residents already have on record (person, from, when), read in the caller's transaction.</summary>
    public static async Task<HashSet<(long Resident, long From, long At)>> HeldAsync(DbConnection connection, DbTransaction tx, Dialect dialect, IReadOnlyList<long> residents,
        CancellationToken ct) =>
        residents.Count == 0
            ? []
            : (await connection.QueryInAsync<(long Resident, long From, long At), long>(tx, dialect,
                "SELECT resident_id, from_division, arrived_at FROM arrivals WHERE {in}", "resident_id", residents, ct)).ToHashSet();

    /// <summary>Adds arrivals in the caller's transaction.</summary>
    public static async Task WriteAsync(DbConnection connection, DbTransaction tx, IReadOnlyCollection<ArrivalRecord> arrivals, long now, CancellationToken ct)
    {
        if (arrivals.Count == 0)
        {
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO arrivals (resident_id, from_division, arrived_at, division, recorded_at) VALUES (@ResidentId, @From, @ArrivedAt, @Division, @now)",
            arrivals.Select(a => new { a.ResidentId, a.From, a.ArrivedAt, a.Division, now }), tx, cancellationToken: ct));
    }

    /// <summary>Every arrival (person, from, when), for everyone or for some residents, in one query.</summary>
    public static Task ReadAsync(DbConnection connection, Dialect dialect, IReadOnlyCollection<long>? residents, Action<long, long, long> each, CancellationToken ct) =>
        connection.StreamAsync(dialect, "SELECT resident_id, from_division, arrived_at FROM arrivals", "resident_id", residents,
            r => each(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2)), ct);
}
