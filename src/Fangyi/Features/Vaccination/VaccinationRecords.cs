using System.Data.Common;
using Dapper;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Vaccination;

/// <summary>
/// The dose records (疫苗接种). The checkpoint's feed writes them in its ingest batch, and reads them into the status
/// index at start; nothing else names the table.
/// </summary>
public static class VaccinationRecords
{
    /// <summary>The doses each of these residents has on record (dose number → when), read in the caller's transaction.</summary>
    public static async Task<Dictionary<long, Dictionary<int, long>>> DosesAsync(DbConnection connection, DbTransaction tx, Dialect dialect, IReadOnlyList<long> residents,
        CancellationToken ct) =>
        (await connection.QueryInAsync<(long Resident, long Dose, long At), long>(tx, dialect, "SELECT resident_id, dose, at FROM vaccinations WHERE {in}", "resident_id", residents, ct))
            .GroupBy(r => r.Resident).ToDictionary(g => g.Key, g => g.ToDictionary(r => (int)r.Dose, r => r.At));

    /// <summary>Writes doses in the caller's transaction; a dose already on record for the person is replaced.</summary>
    public static async Task WriteAsync(DbConnection connection, DbTransaction tx, IReadOnlyCollection<DoseRecord> doses, long now, CancellationToken ct)
    {
        if (doses.Count == 0)
        {
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO vaccinations (resident_id, dose, at, vaccine, recorded_at) VALUES (@ResidentId, @Dose, @At, @Vaccine, @now)
            ON CONFLICT (resident_id, dose) DO UPDATE SET at = excluded.at, vaccine = excluded.vaccine, recorded_at = excluded.recorded_at
            """, doses.Select(d => new { d.ResidentId, d.Dose, d.At, d.Vaccine, now }), tx, cancellationToken: ct));
    }

    /// <summary>Each person's dose count and latest dose, for everyone or for some residents, in one query.</summary>
    public static Task ReadSummariesAsync(DbConnection connection, Dialect dialect, IReadOnlyCollection<long>? residents, Action<long, int, long> each, CancellationToken ct) =>
        connection.StreamAsync(dialect, "SELECT resident_id, COUNT(*), MAX(at) FROM vaccinations {where} GROUP BY resident_id", "resident_id", residents,
            r => each(r.GetInt64(0), (int)r.GetInt64(1), r.GetInt64(2)), ct);
}
