using System.Data.Common;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Residents;

/// <summary>
/// The registry's small reads (and the citizen code subject, its one write) for other capabilities: who a scanned
/// person is, a village's people, names and masked numbers. Each is one query; the one a hot path sends with its own
/// statements takes the caller's dialect and parameters and gives the SQL.
/// </summary>
public sealed class ResidentLookups(Store store)
{
    /// <summary>A person as another capability needs them: who (name, masked number), where, and their look-up keys.</summary>
    public sealed record Person
    {
        public long Id { get; init; }
        public byte[]? IdHash { get; init; }
        public byte[]? Subject { get; init; }
        public string Name { get; init; } = "";
        public string IdMasked { get; init; } = "";
        public long Division { get; init; }
    }

    private const string Columns = "id, id_hash AS IdHash, subject, name, id_masked AS IdMasked, division";

    /// <summary>
    /// One statement giving the <see cref="Person"/> rows of these look-up hashes and subjects, for a caller that
    /// sends it in one trip with its own (a batch of scans): a union of two index look-ups, never an OR, which
    /// neither store's planner serves from two indexes.
    /// </summary>
    public static string ScannedPeopleSql(Dialect dialect, IReadOnlyList<byte[]> hashes, IReadOnlyList<byte[]> subjects, DynamicParameters args)
    {
        var byHash = dialect.InList("id_hash", hashes, args, "hashes");
        var bySubject = dialect.InList("subject", subjects, args, "subjects");
        return $"SELECT {Columns} FROM residents WHERE {byHash} UNION ALL SELECT {Columns} FROM residents WHERE {bySubject}";
    }

    /// <summary>These residents (those that exist), in id order.</summary>
    public async Task<List<Person>> FindAsync(IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await store.OpenAsync(ct);
        var args = new DynamicParameters();
        var where = store.Dialect.InList("id", ids, args, "r");
        return (await connection.QueryAsync<Person>(new CommandDefinition($"SELECT {Columns} FROM residents WHERE {where} ORDER BY id", args, cancellationToken: ct))).ToList();
    }

    /// <summary>The names and masked numbers of these residents (those that exist), in one query.</summary>
    public async Task<Dictionary<long, ResidentName>> NamesAsync(IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await store.OpenAsync(ct);
        return (await connection.QueryInAsync<ResidentName, long>(null, store.Dialect, "SELECT id, name, id_masked AS IdMasked FROM residents WHERE {in}", "id", ids.Distinct().ToList(), ct))
            .ToDictionary(r => r.Id);
    }

    /// <summary>A person as a village worker calls on them: name, masked number, where they live and their phone in clear.</summary>
    public sealed record Contact(long Id, string Name, string IdMasked, long Division, string? Phone);

    private sealed record ContactRow
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string IdMasked { get; init; } = "";
        public long Division { get; init; }
        public byte[] IdHash { get; init; } = [];
        public byte[]? PhoneCipher { get; init; }
    }

    /// <summary>
    /// These residents (those that exist) with their phones opened, for the roles whose work is calling them (a
    /// village worker's tasks); the identity number stays masked. The caller audits the list.
    /// </summary>
    public async Task<Dictionary<long, Contact>> ContactsAsync(KeyRing keys, IReadOnlyCollection<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await store.OpenAsync(ct);
        var rows = await connection.QueryInAsync<ContactRow, long>(null, store.Dialect,
            "SELECT id, name, id_masked AS IdMasked, division, id_hash AS IdHash, phone_cipher AS PhoneCipher FROM residents WHERE {in}", "id", ids.Distinct().ToList(), ct);
        return rows.ToDictionary(r => r.Id, r => new Contact(r.Id, r.Name, r.IdMasked, r.Division,
            r.PhoneCipher is null ? null : keys.Decrypt(r.PhoneCipher, KeyRing.Binding(Fields.Phone, r.IdHash))));
    }

    /// <summary>A registered person found by a look-up hash (of an identity number or a phone): the hash that matched.</summary>
    public sealed record HashMatch
    {
        public long Id { get; init; }
        public byte[] Hash { get; init; } = [];
        public long Division { get; init; }
    }

    /// <summary>
    /// The residents holding these identity look-up hashes (a number's hashes under every live key may be passed),
    /// inside the caller's transaction, for a batch that names people by number (a big-data push).
    /// </summary>
    public static Task<List<HashMatch>> ByIdHashesAsync(DbConnection connection, DbTransaction tx, Dialect dialect, IReadOnlyList<byte[]> hashes, CancellationToken ct = default) =>
        connection.QueryInAsync<HashMatch, byte[]>(tx, dialect, "SELECT id, id_hash AS Hash, division FROM residents WHERE {in}", "id_hash", hashes, ct);

    /// <summary>The residents holding these phone look-up hashes (several people may share a phone: all are answered).</summary>
    public static Task<List<HashMatch>> ByPhoneHashesAsync(DbConnection connection, DbTransaction tx, Dialect dialect, IReadOnlyList<byte[]> hashes, CancellationToken ct = default) =>
        connection.QueryInAsync<HashMatch, byte[]>(tx, dialect, "SELECT id, phone_hash AS Hash, division FROM residents WHERE {in}", "phone_hash", hashes, ct);

    /// <summary>The resident id of each identity-card number, or 0 where nobody holds it (looked up by its keyed hashes).</summary>
    public async Task<long[]> IdsByNumberAsync(KeyRing keys, IReadOnlyList<string> numbers, CancellationToken ct = default)
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

    /// <summary>
    /// Gives residents that have no citizen code subject yet the ones offered, and answers the subject each now has:
    /// two hosts may race to give the same resident one, and the first one stays.
    /// </summary>
    public async Task<Dictionary<long, byte[]>> GiveSubjectsAsync(IReadOnlyList<(long Id, byte[] Subject)> offered, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        await using (var tx = await connection.BeginTransactionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE residents SET subject = @Subject WHERE id = @Id AND subject IS NULL",
                offered.Select(o => new { o.Id, o.Subject }), tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        var args = new DynamicParameters();
        var where = store.Dialect.InList("id", offered.Select(o => o.Id).ToList(), args, "r");
        return (await connection.QueryAsync<(long Id, byte[] Subject)>(new CommandDefinition($"SELECT id, subject FROM residents WHERE {where}", args, cancellationToken: ct)))
            .ToDictionary(r => r.Id, r => r.Subject);
    }

    /// <summary>The citizen code subjects of these residents, inside the caller's transaction; a resident without one is left out.</summary>
    public async Task<Dictionary<long, byte[]>> SubjectsAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        var args = new DynamicParameters();
        var where = store.Dialect.InList("id", ids, args, "r");
        return (await connection.QueryAsync<(long Id, byte[]? Subject)>(new CommandDefinition($"SELECT id, subject FROM residents WHERE {where}", args, tx, cancellationToken: ct)))
            .Where(r => r.Subject is not null).ToDictionary(r => r.Id, r => r.Subject!);
    }

    /// <summary>The resident with one of these look-up hashes whose name is <paramref name="name"/>, exactly.</summary>
    public async Task<long?> WithNameAsync(IReadOnlyList<byte[]> hashes, string name, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var args = new DynamicParameters();
        var where = store.Dialect.InList("id_hash", hashes, args, "h");
        args.Add("name", name);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition($"SELECT id FROM residents WHERE {where} AND name = @name", args, cancellationToken: ct));
    }

    /// <summary>Whether <paramref name="name"/> is the resident's name, exactly.</summary>
    public async Task<bool> NameIsAsync(long residentId, string name, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM residents WHERE id = @residentId AND name = @name",
            new { residentId, name }, cancellationToken: ct)) > 0;
    }

    /// <summary>The resident a citizen code subject names.</summary>
    public async Task<long?> BySubjectAsync(byte[] subject, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT id FROM residents WHERE subject = @subject", new { subject }, cancellationToken: ct));
    }

    /// <summary>The residents who live in one division, as the caller may see them, by name.</summary>
    public static Task<List<long>> LivingInAsync(ScopedDb db, long division, CancellationToken ct = default) =>
        db.QueryAsync<long>("SELECT id FROM residents WHERE division = @division AND {scope:division} ORDER BY name, id", new { division }, ct);

    /// <summary>
    /// How many residents of an area (<paramref name="area"/>) live in each of its child divisions, as the caller may see
    /// them: keyed by the child's code divided by <paramref name="width"/> (10^digits below the child's level).
    /// </summary>
    public static async Task<Dictionary<long, long>> CountByChildAsync(ScopedDb db, Scope area, long width, CancellationToken ct = default) =>
        (await db.QueryAsync<(long Child, long Count)>(
            $"SELECT division / {width} AS child, COUNT(*) FROM residents WHERE division BETWEEN @low AND @high AND {{scope:division}} GROUP BY division / {width}",
            new { low = area.Low, high = area.High }, ct))
        .ToDictionary(r => r.Child, r => r.Count);

    // A resident of an area as a list for door-to-door work shows them (the number and phone masked).
    public sealed record Listed
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string IdMasked { get; init; } = "";
        public string? PhoneMasked { get; init; }
        public long Division { get; init; }
        public string Tags { get; init; } = "";
    }

    /// <summary>
    /// The residents of an area, as the caller may see them, for whom the caller's sub-query <paramref name="notExists"/>
    /// finds no row, by division and name: <c>{resident}</c> in it stands for the resident's id ("SELECT 1 FROM samples s
    /// WHERE s.resident_id = {resident} AND ..."), and <paramref name="args"/> are its parameters.
    /// </summary>
    public static Task<List<Listed>> InAreaWithoutAsync(ScopedDb db, Scope area, string notExists, object args, CancellationToken ct = default)
    {
        var parameters = new DynamicParameters(args);
        parameters.Add("low", area.Low);
        parameters.Add("high", area.High);
        return db.QueryAsync<Listed>(
            $$"""
            SELECT r.id, r.name, r.id_masked AS IdMasked, r.phone_masked AS PhoneMasked, r.division, r.tags FROM residents r
            WHERE r.division BETWEEN @low AND @high AND {scope:r.division}
              AND NOT EXISTS ({{notExists.Replace("{resident}", "r.id", StringComparison.Ordinal)}})
            ORDER BY r.division, r.name, r.id
            """, parameters, ct);
    }
}
