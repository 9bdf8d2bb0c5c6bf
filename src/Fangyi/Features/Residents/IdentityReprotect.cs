using Fangyi.Core.Storage;
using System.Security.Cryptography;
using Dapper;
using Fangyi.Core.Identity;

namespace Fangyi.Features.Residents;

// The one-time step that migration 0007 asks for (a row in reprotect_pending): every resident's
// ciphertexts, sealed before they were bound to their row, are opened and sealed again bound to the row's
// look-up hash, under the same key. It needs the keys, so it runs in C# at start-up, before the host serves,
// in batches that each commit; a start that stops half-way goes on where it stopped. A row already bound
// (written by a newer host meanwhile) opens with its binding and is left alone.
public static class IdentityReprotect
{
    public const string Step = "resident_ciphers_bound";

    private sealed record Row
    {
        public long Id { get; init; }
        public byte[] IdHash { get; init; } = [];
        public byte[] IdCipher { get; init; } = [];
        public byte[]? PhoneCipher { get; init; }
    }

    public static async Task<long> RunAsync(Store store, KeyRing keys, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var pending = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM reprotect_pending WHERE step = @Step", new { Step }, cancellationToken: ct));
        if (pending == 0)
        {
            return 0;
        }
        long resealed = 0;
        long after = 0;
        while (true)
        {
            var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
                "SELECT id, id_hash AS IdHash, id_cipher AS IdCipher, phone_cipher AS PhoneCipher FROM residents WHERE id > @after ORDER BY id LIMIT 5000",
                new { after }, cancellationToken: ct))).AsList();
            if (rows.Count == 0)
            {
                break;
            }
            var updates = rows.AsParallel().AsOrdered().Select(r =>
            {
                var id = Bind(keys, r.IdCipher, Fields.IdNumber, r.IdHash);
                var phone = r.PhoneCipher is null ? null : Bind(keys, r.PhoneCipher, Fields.Phone, r.IdHash);
                return (Changed: id is not null || phone is not null, Update: new { r.Id, IdCipher = id ?? r.IdCipher, PhoneCipher = phone ?? r.PhoneCipher });
            }).Where(u => u.Changed).Select(u => u.Update).ToList();
            await using (var tx = await connection.BeginTransactionAsync(ct))
            {
                resealed += await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE residents SET id_cipher = @IdCipher, phone_cipher = @PhoneCipher WHERE id = @Id", updates, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
            }
            after = rows[^1].Id;
        }
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM reprotect_pending WHERE step = @Step", new { Step }, cancellationToken: ct));
        return resealed;
    }

    // The value sealed again bound to its row, or null if it already is.
    private static byte[]? Bind(KeyRing keys, byte[] blob, string field, byte[] idHash)
    {
        var binding = KeyRing.Binding(field, idHash);
        try
        {
            keys.Decrypt(blob, binding);
            return null;
        }
        catch (CryptographicException)
        {
            var key = keys.KeyOf(blob) ?? throw new CryptographicException("A resident's ciphertext names a key the key file does not hold.");
            return KeyRing.Encrypt(key, keys.Decrypt(blob), binding);
        }
    }
}
