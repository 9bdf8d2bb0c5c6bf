using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Residents;

/// <summary>The registry's look-ups for other capabilities, so that only the registry's SQL names its tables.</summary>
public static class ResidentLookups
{
    /// <summary>The names and masked numbers of these residents (those that exist), in one query.</summary>
    public static async Task<Dictionary<long, ResidentName>> NamesAsync(Store store, IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await store.OpenAsync(ct);
        return (await connection.QueryInAsync<ResidentName, long>(null, store.Dialect, "SELECT id, name, id_masked AS IdMasked FROM residents WHERE {in}", "id", ids.Distinct().ToList(), ct))
            .ToDictionary(r => r.Id);
    }

    /// <summary>The resident id of each identity-card number, or 0 where nobody holds it (looked up by its keyed hashes).</summary>
    public static async Task<long[]> IdsByNumberAsync(Store store, KeyRing keys, IReadOnlyList<string> numbers, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var ids = new long[numbers.Count];
        for (var i = 0; i < numbers.Count; i++)
        {
            var args = new DynamicParameters();
            var where = store.Dialect.InList("id_hash", keys.LookupHashes(DocTypes.ResidentId, numbers[i]), args, "h");
            ids[i] = await connection.ExecuteScalarAsync<long?>(new CommandDefinition($"SELECT id FROM residents WHERE {where}", args, cancellationToken: ct)) ?? 0;
        }
        return ids;
    }
}
