using Fangyi.Core.Storage;
using System.Collections.Concurrent;
using Dapper;
using Fangyi.Core.Codes;

namespace Fangyi.Features.Citizens;

// The revocation list of citizen codes (作废市民码), by each code's own id. Held in memory on every host, so a scan
// checks it with a dictionary look-up; each host reads rows newer than the last it saw about every second (with
// overlap, since hosts' clocks and commit order differ) and notices a key file changed by fangyi codes
// rotate/retire. The verifier asks this list on every scan, a code it verified once included, so a revocation
// holds from the poll that reads it. Rows past their code's expiry no longer matter and are left out.
public sealed class CodeRevocations(Store store, TimeProvider clock) : ICodeRevocations
{
    // Rows read again on each poll: commits of other hosts that arrived late by their clock.
    private const long OverlapMs = 60_000;

    public sealed record Revocation(string CodeId, long RevokedAt, long ExpiresAt);

    public sealed record NewRevocation(string CodeId, byte[] Subject, long ExpiresAt);

    private readonly ConcurrentDictionary<string, long> _revoked = new(StringComparer.Ordinal);
    private long _seenUpTo;

    public int Count => _revoked.Count;

    public bool IsRevoked(CodeClaims claims) => claims.CodeId.Length > 0 && _revoked.ContainsKey(claims.CodeId);

    public async Task PollAsync(CancellationToken ct = default)
    {
        var since = Interlocked.Read(ref _seenUpTo) - OverlapMs;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await store.OpenAsync(ct);
        var rows = await connection.QueryAsync<Revocation>(new CommandDefinition(
            "SELECT code_id AS CodeId, revoked_at AS RevokedAt, expires_at AS ExpiresAt FROM code_revocations WHERE revoked_at >= @since AND expires_at > @now",
            new { since, now }, cancellationToken: ct));
        foreach (var row in rows)
        {
            Keep(row);
        }
        foreach (var (id, expires) in _revoked)
        {
            if (expires <= now)
            {
                _revoked.TryRemove(id, out _);
            }
        }
    }

    private void Keep(Revocation row)
    {
        _revoked.TryAdd(row.CodeId, row.ExpiresAt);
        if (row.RevokedAt > Interlocked.Read(ref _seenUpTo))
        {
            Interlocked.Exchange(ref _seenUpTo, row.RevokedAt);
        }
    }

    // Writes revocations (a code already on the list stays as it was) and honours them on this host at once.
    public async Task AddAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, IReadOnlyList<NewRevocation> codes, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var conflict = "ON CONFLICT (code_id) DO NOTHING";
        await connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO code_revocations (code_id, subject, revoked_at, expires_at, reason) VALUES (@CodeId, @Subject, @now, @ExpiresAt, @reason) {conflict}",
            codes.Select(c => new { c.CodeId, c.Subject, c.ExpiresAt, now, reason }), tx, cancellationToken: ct));
    }

    // Takes up revocations this host just committed, before the next poll.
    public void Committed(IEnumerable<NewRevocation> codes)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var c in codes)
        {
            Keep(new Revocation(c.CodeId, now, c.ExpiresAt));
        }
    }

    // The list for offline verifiers: code ids only, no subject and no personal data.
    public async Task<List<Revocation>> ListAsync(long since, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return (await connection.QueryAsync<Revocation>(new CommandDefinition(
            "SELECT code_id AS CodeId, revoked_at AS RevokedAt, expires_at AS ExpiresAt FROM code_revocations WHERE revoked_at >= @since AND expires_at > @now ORDER BY revoked_at, id",
            new { since, now }, cancellationToken: ct))).ToList();
    }
}

// Polls the revocation list and the code key file about every second, on every host.
public sealed class CodeRevocationPoller(CodeRevocations revocations, CodeKeys keys, SignedCodes codes, TimeProvider clock, ILogger<CodeRevocationPoller> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    public async Task PollOnceAsync(CancellationToken ct = default)
    {
        if (keys.ReloadIfChanged())
        {
            codes.Forget();
            log.LogInformation("Code keys changed on disk; active key {Key}", keys.ActiveKeyId);
        }
        await revocations.PollAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                try
                {
                    await PollOnceAsync(stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    log.LogWarning(error, "Reading the code revocation list failed; trying again shortly");
                }
                // One wait at a time: a test clock moved on by days wakes it once, where a periodic timer on that
                // clock ticked (and polled) for every second skipped.
                await Task.Delay(Interval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }
}
