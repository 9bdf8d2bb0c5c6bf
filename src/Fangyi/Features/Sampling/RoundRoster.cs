using Dapper;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;
using Fangyi.Features.Tasks;

namespace Fangyi.Features.Sampling;

// The village worker's door-to-door tasks come from here: a round, and who has not been sampled in it.
internal sealed class RoundRoster : IRoundRoster
{
    // "Has a standing sample in the round", for ResidentLookups.InAreaWithoutAsync.
    internal const string StandingSample = "SELECT 1 FROM samples s WHERE s.resident_id = {resident} AND s.round_id = @round AND s.removed = FALSE";

    public async Task<IRoundRoster.Round?> FindAsync(ScopedDb db, long roundId, CancellationToken ct)
    {
        // A round belongs to a division and covers all below it: a village worker of the county's round may use it.
        await using var connection = await db.Store.OpenAsync(ct);
        var round = await connection.QuerySingleOrDefaultAsync<(long Id, string Name, long Division, long StartsAt, long EndsAt)?>(new CommandDefinition(
            "SELECT id, name, division, starts_at, ends_at FROM rounds WHERE id = @roundId", new { roundId }, cancellationToken: ct));
        if (round is not { } r || !(db.Scope.Contains(r.Division) || Scope.Of(r.Division).Contains(db.Scope)))
        {
            return null;
        }
        return new IRoundRoster.Round(r.Id, r.Name, r.Division, r.StartsAt, r.EndsAt);
    }

    public async Task<IReadOnlyList<(long ResidentId, long Division)>> NotSampledAsync(ScopedDb db, long roundId, Scope area, CancellationToken ct) =>
        (await ResidentLookups.InAreaWithoutAsync(db, area,
            StandingSample, new { round = roundId }, ct))
        .Select(r => (r.Id, r.Division)).ToList();
}
