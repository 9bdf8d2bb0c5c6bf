using Dapper;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Checkpoint;

// Deletes checks older than the retention period, a chunk per transaction so the ingest writer is never kept waiting long.
public static class CheckRetention
{
    public static async Task<long> PurgeAsync(Store store, long before, CancellationToken ct = default)
    {
        long deleted = 0;
        await using var connection = await store.OpenAsync(ct);
        while (true)
        {
            var n = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM checks WHERE id IN (SELECT id FROM checks WHERE at < @before ORDER BY at LIMIT 5000)", new { before }, cancellationToken: ct));
            deleted += n;
            if (n < 5000)
            {
                return deleted;
            }
        }
    }
}
