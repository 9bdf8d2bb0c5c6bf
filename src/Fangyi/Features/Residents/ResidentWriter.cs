using System.Data.Common;
using Fangyi.Core.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Fangyi.Features.Residents;

/// <summary>
/// Writes residents in sets: one query finds who already exists (by look-up hash under any live key), a
/// resident met again is merged (given fields replace, tags add up, the row moves to the active key), and
/// new ones are copied in. The same set written twice changes nothing the second time. Used by file imports
/// and by the API's ingest handler alike.
/// </summary>
public static class ResidentWriter
{
    private sealed record Existing
    {
        public long Id { get; init; }
        public byte[] IdHash { get; init; } = [];
        public long KeyId { get; init; }
        public string Name { get; init; } = "";
        public byte[]? PhoneHash { get; init; }
        public long Division { get; init; }
        public bool Registered { get; init; }
        public string Tags { get; init; } = "";
    }

    private sealed record Update(long Id, PreparedResident R, bool Registered, string Tags, byte[]? PhoneHash, byte[]? PhoneCipher, string? PhoneMasked, bool KeepPhone);

    /// <summary>
    /// Writes a set of residents in the caller's transaction. Returns each one's outcome and row id (0 if not asked for);
    /// <paramref name="moves"/>, if given, gets every resident new to a division.
    /// </summary>
    public static async Task<(WriteOutcome Outcome, long Id)[]> WriteAsync(DbConnection connection, DbTransaction tx, Dialect dialect, IReadOnlyList<PreparedResident> residents, long now, bool needIds, List<ResidentMove>? moves = null, CancellationToken ct = default)
    {
        var results = new (WriteOutcome, long)[residents.Count];
        if (residents.Count == 0)
        {
            return results;
        }
        var existing = await FindExistingAsync(connection, tx, dialect, residents, ct);

        // Merge repeats inside the set first, so that one person is one write.
        var firstIndex = new Dictionary<string, int>(residents.Count);
        var merged = new List<PreparedResident>(residents.Count);
        var slot = new int[residents.Count];
        for (var i = 0; i < residents.Count; i++)
        {
            var key = Convert.ToBase64String(residents[i].Hash);
            if (firstIndex.TryGetValue(key, out var at))
            {
                merged[at] = MergeInput(merged[at], residents[i]);
                slot[i] = at;
            }
            else
            {
                firstIndex[key] = merged.Count;
                slot[i] = merged.Count;
                merged.Add(residents[i]);
            }
        }

        var inserts = new List<PreparedResident>();
        var updates = new List<Update>();
        var transfers = new List<(int Slot, long Resident, long From, PreparedResident R)>();
        var outcomes = new (WriteOutcome Outcome, long Id)[merged.Count];
        for (var m = 0; m < merged.Count; m++)
        {
            var r = merged[m];
            var old = r.LookupHashes.Select(h => existing.GetValueOrDefault(Convert.ToBase64String(h))).FirstOrDefault(e => e is not null);
            if (old is null)
            {
                moves?.Add(new ResidentMove(null, r.Division));
                inserts.Add(r);
                outcomes[m] = (WriteOutcome.Created, 0);
                continue;
            }
            if (r.Writer is { } writer && !writer.Scope.Contains(old.Division))
            {
                // Jurisdiction holds on the person as they are now: no change, move or merge from outside it.
                if (writer.RequestTransfers)
                {
                    transfers.Add((m, old.Id, old.Division, r));
                    outcomes[m] = (WriteOutcome.TransferRequested, 0);
                }
                else
                {
                    outcomes[m] = (WriteOutcome.Unchanged, old.Id);
                }
                continue;
            }
            var tags = string.Join(',', SplitTags(old.Tags).Union(r.Tags).Order(StringComparer.Ordinal));
            var registered = r.Registered ?? old.Registered;
            var keepPhone = r.PhoneHash is null;
            var changed = old.Name != r.Name || old.Division != r.Division || old.Registered != registered || old.Tags != tags
                || old.KeyId != r.KeyId || !old.IdHash.AsSpan().SequenceEqual(r.Hash)
                || (!keepPhone && (old.PhoneHash is null || !old.PhoneHash.AsSpan().SequenceEqual(r.PhoneHash!)));
            if (old.Division != r.Division)
            {
                moves?.Add(new ResidentMove(old.Division, r.Division));
            }
            if (changed)
            {
                updates.Add(new Update(old.Id, r, registered, tags, r.PhoneHash, r.PhoneCipher, r.PhoneMasked, keepPhone));
            }
            outcomes[m] = (changed ? WriteOutcome.Updated : WriteOutcome.Unchanged, old.Id);
        }

        await InsertAsync(connection, tx, inserts, now, ct);
        await UpdateAsync(connection, tx, dialect, updates, now, ct);
        foreach (var (at, resident, from, r) in transfers)
        {
            outcomes[at].Id = await ResidentTransfers.RequestAsync(connection, tx, resident, from, r, now, ct);
        }

        if (needIds && inserts.Count > 0)
        {
            var ids = await IdsAsync(connection, tx, dialect, inserts.Select(r => r.Hash).ToList(), ct);
            for (var m = 0; m < merged.Count; m++)
            {
                if (outcomes[m].Outcome == WriteOutcome.Created)
                {
                    outcomes[m].Id = ids.GetValueOrDefault(Convert.ToBase64String(merged[m].Hash));
                }
            }
        }
        var reported = new bool[merged.Count];
        for (var i = 0; i < residents.Count; i++)
        {
            // A repeat inside the set was merged into its first occurrence: it updated that resident.
            results[i] = reported[slot[i]] && outcomes[slot[i]].Outcome != WriteOutcome.TransferRequested ? (WriteOutcome.Updated, outcomes[slot[i]].Id) : outcomes[slot[i]];
            reported[slot[i]] = true;
        }
        return results;
    }

    private static string[] SplitTags(string tags) => tags.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static PreparedResident MergeInput(PreparedResident first, PreparedResident later) => later with
    {
        PhoneHash = later.PhoneHash ?? first.PhoneHash,
        PhoneCipher = later.PhoneCipher ?? first.PhoneCipher,
        PhoneMasked = later.PhoneMasked ?? first.PhoneMasked,
        Registered = later.Registered ?? first.Registered,
        Tags = first.Tags.Union(later.Tags).Order(StringComparer.Ordinal).ToList(),
    };

    private static async Task<Dictionary<string, Existing>> FindExistingAsync(DbConnection connection, DbTransaction tx, Dialect dialect, IReadOnlyList<PreparedResident> residents, CancellationToken ct)
    {
        var rows = await connection.QueryInAsync<Existing, byte[]>(tx, dialect,
            "SELECT id, id_hash AS IdHash, key_id AS KeyId, name, phone_hash AS PhoneHash, division, registered, tags FROM residents WHERE {in}",
            "id_hash", residents.SelectMany(r => r.LookupHashes).ToList(), ct);
        return rows.ToDictionary(row => Convert.ToBase64String(row.IdHash));
    }

    private static async Task<Dictionary<string, long>> IdsAsync(DbConnection connection, DbTransaction tx, Dialect dialect, List<byte[]> hashes, CancellationToken ct)
    {
        var rows = await connection.QueryInAsync<Existing, byte[]>(tx, dialect, "SELECT id, id_hash AS IdHash FROM residents WHERE {in}", "id_hash", hashes, ct);
        return rows.ToDictionary(row => Convert.ToBase64String(row.IdHash), row => row.Id);
    }

    private static async Task InsertAsync(DbConnection connection, DbTransaction tx, List<PreparedResident> rows, long now, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }
        if (connection is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync(
                "COPY residents (doc_type, id_hash, id_cipher, id_masked, key_id, name, gender, phone_hash, phone_cipher, phone_masked, division, registered, tags, created_at, updated_at) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var r in rows)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(r.DocType, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.Hash, NpgsqlDbType.Bytea, ct);
                await copy.WriteAsync(r.IdCipher, NpgsqlDbType.Bytea, ct);
                await copy.WriteAsync(r.IdMasked, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.KeyId, NpgsqlDbType.Integer, ct);
                await copy.WriteAsync(r.Name, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, r.Gender, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, r.PhoneHash, NpgsqlDbType.Bytea, ct);
                await WriteNullableAsync(copy, r.PhoneCipher, NpgsqlDbType.Bytea, ct);
                await WriteNullableAsync(copy, r.PhoneMasked, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(r.Division, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(r.Registered ?? true, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(string.Join(',', r.Tags), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint, ct);
            }
            await copy.CompleteAsync(ct);
            return;
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText =
            """
            INSERT INTO residents (doc_type, id_hash, id_cipher, id_masked, key_id, name, gender, phone_hash, phone_cipher, phone_masked, division, registered, tags, created_at, updated_at)
            VALUES (@doc_type, @id_hash, @id_cipher, @id_masked, @key_id, @name, @gender, @phone_hash, @phone_cipher, @phone_masked, @division, @registered, @tags, @now, @now)
            """;
        var p = insert.AddParameters( "doc_type", "id_hash", "id_cipher", "id_masked", "key_id", "name", "gender", "phone_hash", "phone_cipher", "phone_masked", "division", "registered", "tags", "now");
        await insert.PrepareAsync(ct);
        foreach (var r in rows)
        {
            p[0].Value = r.DocType;
            p[1].Value = r.Hash;
            p[2].Value = r.IdCipher;
            p[3].Value = r.IdMasked;
            p[4].Value = r.KeyId;
            p[5].Value = r.Name;
            p[6].Value = (object?)r.Gender ?? DBNull.Value;
            p[7].Value = (object?)r.PhoneHash ?? DBNull.Value;
            p[8].Value = (object?)r.PhoneCipher ?? DBNull.Value;
            p[9].Value = (object?)r.PhoneMasked ?? DBNull.Value;
            p[10].Value = r.Division;
            p[11].Value = r.Registered ?? true;
            p[12].Value = string.Join(',', r.Tags);
            p[13].Value = now;
            await insert.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task UpdateAsync(DbConnection connection, DbTransaction tx, Dialect dialect, List<Update> rows, long now, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await using var update = connection.CreateCommand();
        update.Transaction = tx;
        // A phone left empty keeps the stored one; every other field is replaced by the merged value.
        update.CommandText =
            """
            UPDATE residents SET id_hash = @id_hash, id_cipher = @id_cipher, id_masked = @id_masked, key_id = @key_id, name = @name,
                phone_hash = CASE WHEN @keep_phone THEN phone_hash ELSE @phone_hash END,
                phone_cipher = CASE WHEN @keep_phone THEN phone_cipher ELSE @phone_cipher END,
                phone_masked = CASE WHEN @keep_phone THEN phone_masked ELSE @phone_masked END,
                division = @division, registered = @registered, tags = @tags, updated_at = @now
            WHERE id = @id
            """;
        var p = update.AddParameters( "id_hash", "id_cipher", "id_masked", "key_id", "name", "keep_phone", "phone_hash", "phone_cipher", "phone_masked", "division", "registered", "tags", "now", "id");
        if (dialect == Dialect.Postgres)
        {
            ((NpgsqlParameter)p[6]).NpgsqlDbType = NpgsqlDbType.Bytea;
            ((NpgsqlParameter)p[7]).NpgsqlDbType = NpgsqlDbType.Bytea;
            ((NpgsqlParameter)p[8]).NpgsqlDbType = NpgsqlDbType.Text;
        }
        foreach (var u in rows)
        {
            p[0].Value = u.R.Hash;
            p[1].Value = u.R.IdCipher;
            p[2].Value = u.R.IdMasked;
            p[3].Value = u.R.KeyId;
            p[4].Value = u.R.Name;
            p[5].Value = u.KeepPhone;
            p[6].Value = (object?)u.PhoneHash ?? DBNull.Value;
            p[7].Value = (object?)u.PhoneCipher ?? DBNull.Value;
            p[8].Value = (object?)u.PhoneMasked ?? DBNull.Value;
            p[9].Value = u.R.Division;
            p[10].Value = u.Registered;
            p[11].Value = u.Tags;
            p[12].Value = now;
            p[13].Value = u.Id;
            await update.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter copy, T? value, NpgsqlDbType type, CancellationToken ct) where T : class
    {
        if (value is null)
        {
            await copy.WriteNullAsync(ct);
        }
        else
        {
            await copy.WriteAsync(value, type, ct);
        }
    }
}
