using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Core.Progress;

namespace Fangyi.Features.Residents;

/// <summary>
/// Moves every resident to a new identity key: a new key is made active first (new writes use it at once,
/// look-ups try both), then each row is decrypted with its old key and re-protected with the new one, in
/// batches, each in its own transaction. A rotation that stops half-way is finished by running it again;
/// old keys are retired only when no row uses them.
/// </summary>
public static class KeyRotation
{
    public sealed record Report(int ActiveKey, long Moved, IReadOnlyList<int> Retired);

    private sealed record Row
    {
        public long Id { get; init; }
        public long KeyId { get; init; }
        public string DocType { get; init; } = "";
        public byte[] IdHash { get; init; } = [];
        public byte[] IdCipher { get; init; } = [];
        public byte[]? PhoneCipher { get; init; }
    }

    /// <param name="progress">Residents moved so far, of those to move.</param>
    public static async Task<Report> RotateAsync(Store store, KeyRing keys, IProgress<RowProgress>? progress = null, CancellationToken ct = default)
    {
        // Rows still sealed the old way are bound to their row first, so that every row below opens the same way.
        await IdentityReprotect.RunAsync(store, keys, ct);
        var active = keys.AddActiveKey();
        return await MoveAllAsync(store, keys, active, progress, ct);
    }

    /// <summary>Re-protects every row not yet under <paramref name="active"/>; then retires keys no row uses.</summary>
    public static async Task<Report> MoveAllAsync(Store store, KeyRing keys, IdentityKey active, IProgress<RowProgress>? progress = null, CancellationToken ct = default)
    {
        long moved = 0;
        long after = 0;
        await using var connection = await store.OpenAsync(ct);
        // Counted only for someone watching: over millions of rows the count is a scan of its own.
        long? total = progress is null ? null : await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM residents WHERE key_id <> @active", new { active = active.Id }, cancellationToken: ct));
        while (true)
        {
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
                "SELECT id, key_id AS KeyId, doc_type AS DocType, id_hash AS IdHash, id_cipher AS IdCipher, phone_cipher AS PhoneCipher FROM residents WHERE key_id <> @active AND id > @after ORDER BY id LIMIT 5000",
                new { active = active.Id, after }, cancellationToken: ct))).AsList();
            if (rows.Count == 0)
            {
                break;
            }
            var updates = rows.AsParallel().AsOrdered().Select(r =>
            {
                var number = keys.Decrypt(r.IdCipher, KeyRing.Binding(Fields.IdNumber, r.IdHash));
                var phone = r.PhoneCipher is null ? null : keys.Decrypt(r.PhoneCipher, KeyRing.Binding(Fields.Phone, r.IdHash));
                var hash = KeyRing.Hash(active, r.DocType, number);
                return new
                {
                    r.Id,
                    OldKey = r.KeyId,
                    KeyId = active.Id,
                    IdHash = hash,
                    IdCipher = KeyRing.Encrypt(active, number, KeyRing.Binding(Fields.IdNumber, hash)),
                    PhoneHash = phone is null ? null : KeyRing.Hash(active, "phone", phone),
                    PhoneCipher = phone is null ? null : KeyRing.Encrypt(active, phone, KeyRing.Binding(Fields.Phone, hash)),
                };
            }).ToList();
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                // The old key id in the WHERE keeps a row that a writer moved meanwhile from being moved twice.
                moved += await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE residents SET key_id = @KeyId, id_hash = @IdHash, id_cipher = @IdCipher, phone_hash = @PhoneHash, phone_cipher = @PhoneCipher WHERE id = @Id AND key_id = @OldKey",
                    updates, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
            }
            after = rows[^1].Id;
            progress?.Report(new RowProgress(moved, total));
        }
        var left = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM residents WHERE key_id <> @active", new { active = active.Id }, cancellationToken: ct));
        var retired = new List<int>();
        if (left == 0)
        {
            retired = keys.All.Where(k => k.Id != active.Id && !k.Retired).Select(k => k.Id).ToList();
            keys.Retire(retired);
        }
        return new Report(active.Id, moved, retired);
    }
}
