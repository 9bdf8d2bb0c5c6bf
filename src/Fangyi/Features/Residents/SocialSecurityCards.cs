using System.Data.Common;
using Dapper;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Residents;

/// <summary>The registry's social-security cards: written by the checkpoint's feed in its ingest batch, read into the status index at start.</summary>
public static class SocialSecurityCards
{
    /// <summary>Links cards in the caller's transaction; a card already linked moves to the new resident.</summary>
    public static async Task WriteAsync(DbConnection connection, DbTransaction tx, IReadOnlyCollection<CardRecord> cards, long now, CancellationToken ct)
    {
        if (cards.Count == 0)
        {
            return;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO social_security_cards (card_hash, key_id, card_masked, resident_id, updated_at) VALUES (@CardHash, @KeyId, @CardMasked, @ResidentId, @now)
            ON CONFLICT (card_hash) DO UPDATE SET key_id = excluded.key_id, card_masked = excluded.card_masked, resident_id = excluded.resident_id, updated_at = excluded.updated_at
            """, cards.Select(c => new { c.CardHash, c.KeyId, c.CardMasked, c.ResidentId, now }), tx, cancellationToken: ct));
    }

    /// <summary>Every linked card (hash, key id, resident), in one query.</summary>
    public static Task ReadAllAsync(DbConnection connection, Dialect dialect, Action<byte[], int, long> each, CancellationToken ct) =>
        connection.StreamAsync(dialect, "SELECT card_hash, key_id, resident_id FROM social_security_cards", "resident_id", null,
            r => each((byte[])r.GetValue(0), r.GetInt32(1), r.GetInt64(2)), ct);
}
