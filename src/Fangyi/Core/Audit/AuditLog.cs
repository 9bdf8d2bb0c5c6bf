using Fangyi.Core.Storage;
using System.Security.Claims;
using System.Threading.Channels;
using Dapper;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Core.Audit;

/// <summary>
/// The append-only record of who read or changed which person's data, when, and from where. The store refuses
/// updates, deletes (migration 0002) and on PostgreSQL truncation (0010) of its rows, and every row is hash-chained
/// to the one before it (<see cref="AuditChain"/>), so a row changed, removed or slipped in behind the store's back
/// is found by <c>fangyi audit verify</c>.
/// </summary>
public sealed class AuditLog(Store store, ILogger<AuditLog> log)
{
    private sealed record Pending(long At, long? AccountId, string? Username, string Action, string SubjectType, string? SubjectId, long? Division, string Ip, string? Detail)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private int _started;

    public Task WriteAsync(HttpContext http, string action, string subjectType, string? subjectId, long? division = null, string? detail = null) =>
        WriteAsync(http.User, http.Connection.RemoteIpAddress?.ToString() ?? "", action, subjectType, subjectId, division, detail, http.RequestAborted);

    /// <summary>
    /// Records one read or change and returns once it is stored. Entries from concurrent requests share a
    /// transaction, so auditing every read costs a busy host one commit per batch rather than one per request.
    /// </summary>
    public async Task WriteAsync(ClaimsPrincipal user, string ip, string action, string subjectType, string? subjectId, long? division, string? detail, CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = Task.Run(WriteLoopAsync, CancellationToken.None);
        }
        var entry = new Pending(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), user.Identity?.IsAuthenticated == true ? user.AccountId() : null,
            user.Identity?.Name, action, subjectType, subjectId, division, ip, detail);
        await _queue.Writer.WriteAsync(entry, ct);
        // The caller's answer waits for the entry: a read that is not recorded is not served.
        await entry.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(500);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < 500 && _queue.Reader.TryRead(out var entry))
            {
                batch.Add(entry);
            }
            try
            {
                await using var connection = await store.OpenAsync();
                await using var tx = await connection.BeginTransactionAsync();
                // The chain is computed here, in the one writer, against the newest stored row read inside the
                // transaction; several hosts on one PostgreSQL take turns through a transaction-scoped lock.
                if (store.Dialect == Dialect.Postgres)
                {
                    await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@key)", new { key = AuditChain.LockKey }, tx));
                }
                var previous = await connection.QuerySingleOrDefaultAsync<byte[]?>(new CommandDefinition(
                    "SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1", transaction: tx)) ?? AuditChain.Genesis;
                var rows = new List<object>(batch.Count);
                foreach (var e in batch)
                {
                    var hash = AuditChain.Hash(previous, e.At, e.AccountId, e.Username, e.Action, e.SubjectType, e.SubjectId, e.Division, e.Ip, e.Detail);
                    rows.Add(new { e.At, e.AccountId, e.Username, e.Action, e.SubjectType, e.SubjectId, e.Division, e.Ip, e.Detail, PrevHash = previous, Hash = hash });
                    previous = hash;
                }
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO audit_log (at, account_id, username, action, subject_type, subject_id, division, ip, detail, prev_hash, hash)
                    VALUES (@At, @AccountId, @Username, @Action, @SubjectType, @SubjectId, @Division, @Ip, @Detail, @PrevHash, @Hash)
                    """, rows, tx));
                await tx.CommitAsync();
                batch.ForEach(e => e.Done.TrySetResult());
            }
            catch (Exception error)
            {
                log.LogError(error, "Audit entries could not be stored");
                batch.ForEach(e => e.Done.TrySetException(error));
            }
        }
    }

    public sealed record Entry
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
    }

    /// <summary>The audit trail of one subject, newest first, for those allowed to read it.</summary>
    public async Task<List<Entry>> ForSubjectAsync(string subjectType, string subjectId, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return (await connection.QueryAsync<Entry>(new CommandDefinition(
            "SELECT seq, at, account_id AS AccountId, username, action, subject_type AS SubjectType, subject_id AS SubjectId, division, ip, detail FROM audit_log WHERE subject_type = @subjectType AND subject_id = @subjectId ORDER BY seq DESC",
            new { subjectType, subjectId }, cancellationToken: ct))).AsList();
    }
}
