using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Checkpoint;

// The risk-area list, in memory for the checks; maintained through the API and kept in the store.
public sealed class RiskAreas(Store store, DivisionDirectory divisions, TimeProvider clock)
{
    private const string Columns = "id, division, level, name, starts_at AS StartsAt, ends_at AS EndsAt, created_at AS CreatedAt";
    private volatile RiskArea[] _areas = [];

    public IReadOnlyList<RiskArea> All => _areas;

    public async Task LoadAsync(CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        _areas = (await connection.QueryAsync<RiskArea>(new CommandDefinition($"SELECT {Columns} FROM risk_areas ORDER BY id", cancellationToken: ct))).ToArray();
    }

    // The risk area an arrival came from: one covering the division the person left, in force at some time in the
    // lookbackMs before they arrived. The worst (high before medium) when several match.
    public RiskArea? Match(long fromDivision, long arrivedAt, long lookbackMs)
    {
        RiskArea? found = null;
        foreach (var area in _areas)
        {
            if (area.StartsAt <= arrivedAt && (area.EndsAt ?? long.MaxValue) >= arrivedAt - lookbackMs && area.Covers(fromDivision)
                && (found is null || (area.Level == "high" && found.Level != "high")))
            {
                found = area;
            }
        }
        return found;
    }

    public async Task<RiskArea> AddAsync(long division, string level, string? name, long startsAt, long? endsAt, long accountId, CancellationToken ct = default)
    {
        var label = string.IsNullOrWhiteSpace(name) ? divisions.Tree.PathName(division) : name.Trim();
        await using var connection = await store.OpenAsync(ct);
        var area = await connection.QuerySingleAsync<RiskArea>(new CommandDefinition(
            $"INSERT INTO risk_areas (division, level, name, starts_at, ends_at, created_at, account_id) VALUES (@division, @level, @label, @startsAt, @endsAt, @now, @accountId) RETURNING {Columns}",
            new { division, level, label, startsAt, endsAt, now = clock.GetUtcNow().ToUnixTimeMilliseconds(), accountId }, cancellationToken: ct));
        await LoadAsync(ct);
        return area;
    }

    // Lifts an area (降为低风险) from the given time on; its past stays, so earlier arrivals still count.
    public async Task<RiskArea?> EndAsync(long id, long endsAt, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var area = await connection.QuerySingleOrDefaultAsync<RiskArea>(new CommandDefinition(
            $"UPDATE risk_areas SET ends_at = @endsAt WHERE id = @id RETURNING {Columns}", new { id, endsAt }, cancellationToken: ct));
        await LoadAsync(ct);
        return area;
    }
}
