using Fangyi.Core.Storage;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Fangyi.Core.Progress;

namespace Fangyi.Core.Audit;

/// <summary>
/// The audit log's hash chain: each row's hash is SHA-256(previous row's hash || the row's canonical fields), and
/// the row keeps the previous hash beside its own, so a verifier can tell a changed row (its hash no longer
/// matches its fields) from a removed one (the next row names a hash no row has) and an inserted one (the row
/// after it still follows the row before it).
/// </summary>
/// <remarks>
/// The chain is unkeyed: someone who can write the table and recompute every later hash can hide a change. What it
/// catches is a change made without doing that; note the head hash <see cref="Verification.Head"/> outside the
/// store (e.g. in the daily report) to catch the rest.
/// </remarks>
public static class AuditChain
{
    /// <summary>The previous hash of the first chained row.</summary>
    public static readonly byte[] Genesis = new byte[32];

    /// <summary>pg_advisory_xact_lock key that serialises audit writers of several hosts on one PostgreSQL.</summary>
    public const long LockKey = 0x4641_4e47_4155_4449; // "FANGAUDI"

    /// <summary>
    /// Each field as a presence byte, then a 4-byte big-endian length and its UTF-8 bytes (numbers in invariant
    /// decimal), so no two different rows share an encoding.
    /// </summary>
    public static byte[] Hash(byte[] previous, long at, long? accountId, string? username, string action, string? subjectType, string? subjectId, long? division, string? ip, string? detail)
    {
        using var buffer = new MemoryStream();
        buffer.Write(previous);
        Field(buffer, at.ToString(CultureInfo.InvariantCulture));
        Field(buffer, accountId?.ToString(CultureInfo.InvariantCulture));
        Field(buffer, username);
        Field(buffer, action);
        Field(buffer, subjectType);
        Field(buffer, subjectId);
        Field(buffer, division?.ToString(CultureInfo.InvariantCulture));
        Field(buffer, ip);
        Field(buffer, detail);
        return SHA256.HashData(buffer.ToArray());
    }

    private static void Field(MemoryStream buffer, string? value)
    {
        if (value is null)
        {
            buffer.WriteByte(0);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.WriteByte(1);
        buffer.Write(length);
        buffer.Write(bytes);
    }

    public enum Fault
    {
        Altered,
        Removed,
        Inserted,
    }

    /// <summary>The first break in the chain: what happened and at which row (for a removal, the row after the gap).</summary>
    public sealed record Break(Fault Fault, long Seq, string Description);

    /// <param name="Unchained">Rows from before the chain existed (migration 0010), at the start of the log.</param>
    /// <param name="Head">The newest row's hash, hex, to be noted outside the store.</param>
    public sealed record Verification(long Rows, long Unchained, string? Head, Break? First);

    private sealed record Row
    {
        public long Seq { get; init; }
        public long At { get; init; }
        public long? AccountId { get; init; }
        public string? Username { get; init; }
        public string Action { get; init; } = "";
        public string? SubjectType { get; init; }
        public string? SubjectId { get; init; }
        public long? Division { get; init; }
        public string? Ip { get; init; }
        public string? Detail { get; init; }
        public byte[]? PrevHash { get; init; }
        public byte[]? Hash { get; init; }

        public byte[] Computed() => AuditChain.Hash(PrevHash ?? Genesis, At, AccountId, Username, Action, SubjectType, SubjectId, Division, Ip, Detail);

        public bool SelfConsistent => PrevHash is not null && Hash is not null && Computed().AsSpan().SequenceEqual(Hash);
    }

    /// <summary>Walks the whole log in order and names the first row altered, removed or inserted.</summary>
    /// <param name="progress">Rows walked, of all, every ten thousand.</param>
    public static async Task<Verification> VerifyAsync(Store store, IProgress<RowProgress>? progress = null, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        long? total = progress is null ? null : await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM audit_log", cancellationToken: ct));
        var rows = connection.QueryUnbufferedAsync<Row>(
            "SELECT seq, at, account_id AS AccountId, username, action, subject_type AS SubjectType, subject_id AS SubjectId, division, ip, detail, prev_hash AS PrevHash, hash FROM audit_log ORDER BY seq");
        long count = 0, unchained = 0;
        byte[]? last = null;
        Row? pending = null;
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (++count % 10_000 == 0)
            {
                progress?.Report(new RowProgress(count, total));
            }
            if (last is null && pending is null && row.Hash is null && row.PrevHash is null)
            {
                unchained++;
                continue;
            }
            if (pending is not null)
            {
                // The row before this one did not follow the chain: if this one follows the row before it, it was inserted.
                var verdict = row.PrevHash is not null && row.PrevHash.AsSpan().SequenceEqual(last ?? Genesis) && row.SelfConsistent
                    ? new Break(Fault.Inserted, pending.Seq, $"row {pending.Seq} was inserted: the row after it follows the row before it")
                    : Judge(pending);
                return new Verification(count, unchained, null, verdict);
            }
            var expected = last ?? Genesis;
            if (row.PrevHash is not null && row.PrevHash.AsSpan().SequenceEqual(expected))
            {
                if (!row.SelfConsistent)
                {
                    return new Verification(count, unchained, null, new Break(Fault.Altered, row.Seq, $"row {row.Seq} was altered: its hash does not match its fields"));
                }
                last = row.Hash;
                continue;
            }
            pending = row;
        }
        if (pending is not null)
        {
            return new Verification(count, unchained, null, Judge(pending));
        }
        return new Verification(count, unchained, last is null ? null : Convert.ToHexString(last).ToLowerInvariant(), null);
    }

    // A row that does not follow the row before it, and no later row vouches for the row before it.
    private static Break Judge(Row row)
    {
        if (row.Hash is null || row.PrevHash is null)
        {
            return new Break(Fault.Inserted, row.Seq, $"row {row.Seq} was inserted: it carries no chain hash");
        }
        // A row whose own hashes hold but that follows no stored row sits after a gap; one whose hashes are made up
        // (they match neither its fields nor the row before it) was put there by hand.
        return row.SelfConsistent
            ? new Break(Fault.Removed, row.Seq, $"a row before row {row.Seq} was removed: it follows a hash no stored row has")
            : new Break(Fault.Inserted, row.Seq, $"row {row.Seq} was inserted (or its chain hashes rewritten): it follows no stored row and its hash matches nothing");
    }
}
