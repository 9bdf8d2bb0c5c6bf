using Fangyi.Core.Storage;
using System.Collections.Concurrent;
using Dapper;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Checkpoint;

// Every place, in memory: a device's place is read on every check.
public sealed class PlaceDirectory(Store store, TimeProvider clock)
{
    private const string Columns = "id, name, category, division, address, created_at AS CreatedAt";
    private readonly ConcurrentDictionary<long, Place> _places = new();

    public async Task LoadAsync(CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        foreach (var place in await connection.QueryAsync<Place>(new CommandDefinition($"SELECT {Columns} FROM places", cancellationToken: ct)))
        {
            _places[place.Id] = place;
        }
    }

    public Place? Find(long id) => _places.GetValueOrDefault(id);

    // A place another host created is read from the store the first time one of its devices is seen here.
    public async ValueTask<Place?> FindAsync(long id, CancellationToken ct = default)
    {
        if (_places.TryGetValue(id, out var place))
        {
            return place;
        }
        await using var connection = await store.OpenAsync(ct);
        place = await connection.QuerySingleOrDefaultAsync<Place>(new CommandDefinition($"SELECT {Columns} FROM places WHERE id = @id", new { id }, cancellationToken: ct));
        if (place is not null)
        {
            _places[place.Id] = place;
        }
        return place;
    }

    public async Task<Place> CreateAsync(string name, string category, long division, string address, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var place = await connection.QuerySingleAsync<Place>(new CommandDefinition(
            $"INSERT INTO places (name, category, division, address, created_at) VALUES (@name, @category, @division, @address, @now) RETURNING {Columns}",
            new { name, category, division, address, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
        _places[place.Id] = place;
        return place;
    }

    // Places within a jurisdiction, optionally of one category.
    public static Task<List<Place>> ListAsync(ScopedDb db, string? category, long after, int limit, CancellationToken ct = default) =>
        db.QueryAsync<Place>(
            $"SELECT {Columns} FROM places WHERE {{scope:division}}{(category is null ? "" : " AND category = @category")} AND id > @after ORDER BY id LIMIT @limit",
            new { category, after, limit = Math.Clamp(limit, 1, 1000) }, ct);
}
