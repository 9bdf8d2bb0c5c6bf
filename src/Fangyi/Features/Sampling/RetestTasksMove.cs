using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Features.Tasks;

namespace Fangyi.Features.Sampling;

// Retest tasks were Sampling's own rows (retest_tasks) before the village worker's list (Tasks) held every kind of
// task. At start, what is left in the old table moves onto the list through Tasks' public API and leaves the old
// table in the same transaction, so SQL keeps naming only its owner's tables and a second host starting at the same
// moment moves nothing twice (it waits for the first's delete, then finds the table empty).
internal static class RetestTasksMove
{
    private sealed record Old
    {
        public long ResidentId { get; init; }
        public long Division { get; init; }
        public string TubeCode { get; init; } = "";
        public string Reason { get; init; } = "";
        public string State { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? DoneAt { get; init; }
    }

    public static async Task<int> RunAsync(Store store, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM retest_tasks", cancellationToken: ct)) == 0)
        {
            return 0;
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        var old = (await connection.QueryAsync<Old>(new CommandDefinition(
            "DELETE FROM retest_tasks RETURNING resident_id AS ResidentId, division, tube_code AS TubeCode, reason, state, created_at AS CreatedAt, done_at AS DoneAt",
            transaction: tx, cancellationToken: ct))).ToList();
        await TaskBoard.MoveInAsync(connection, tx, old.Select(o => new TaskBoard.Moved(
            o.Reason == "resample" ? TaskKinds.Resample : TaskKinds.Retest, o.ResidentId, o.Division, o.TubeCode, o.State, o.CreatedAt, o.DoneAt)).ToList(), ct);
        await tx.CommitAsync(ct);
        return old.Count;
    }
}
