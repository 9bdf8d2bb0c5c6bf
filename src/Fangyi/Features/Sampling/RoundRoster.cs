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

    public async Task<IReadOnlyList<IRoundRoster.Round>> RunningAsync(ScopedDb db, long now, CancellationToken ct) =>
        (await RoundsAsync(db, "starts_at <= @now AND ends_at >= @now", new { now }, ct)).OrderByDescending(r => r.StartsAt).ToList();

    public async Task<IRoundRoster.Round?> FindAsync(ScopedDb db, long roundId, CancellationToken ct) =>
        (await RoundsAsync(db, "id = @roundId", new { roundId }, ct)).SingleOrDefault();

    // A round belongs to a division and covers all below it: a village worker may work the county's round.
    private static async Task<List<IRoundRoster.Round>> RoundsAsync(ScopedDb db, string where, object args, CancellationToken ct)
    {
        await using var connection = await db.Store.OpenAsync(ct);
        var rounds = await connection.QueryAsync<IRoundRoster.Round>(new CommandDefinition(
            $"SELECT id, name, division, starts_at AS StartsAt, ends_at AS EndsAt FROM rounds WHERE {where}", args, cancellationToken: ct));
        return rounds.Where(r => db.Scope.Contains(r.Division) || Scope.Of(r.Division).Contains(db.Scope)).ToList();
    }

    public async Task<IReadOnlyList<(long ResidentId, long Division)>> NotSampledAsync(ScopedDb db, long roundId, Scope area, CancellationToken ct) =>
        (await ResidentLookups.InAreaWithoutAsync(db, area,
            StandingSample, new { round = roundId }, ct))
        .Select(r => (r.Id, r.Division)).ToList();
}
