using Fangyi.Core.Storage;
using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Identity;

namespace Fangyi.Features.Accounts;

/// <summary>
/// Accounts: creation, log-in, password changes, and the server-side sessions that cookies and bearer tokens
/// stand for. Passwords use ASP.NET Core Identity's hasher. The command line makes one without hub connections.
/// </summary>
public sealed class AccountService(Store store, AccountOptions options, TimeProvider clock, SessionConnections? connections = null)
{
    private const long SessionCheckMs = 10_000;
    private const long LastSeenEveryMs = 5 * 60_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);
    private readonly LoginGuard _guard = new(options, clock);

    private sealed record SessionState(long Account, string Stamp, bool Disabled, bool Ended, string Generation, long LastSeen, long CheckedAt);

    private static readonly PasswordHasher<Account> Hasher = new();
    private const string Columns = "id, username, display_name AS DisplayName, role, division, password_hash AS PasswordHash, must_change_password AS MustChangePassword, failed_logins AS FailedLogins, locked_until AS LockedUntil, disabled, created_at AS CreatedAt, session_stamp AS SessionStamp";

    public static readonly Core.Http.ApiProblem UsernameTaken = new("username_taken", 409, "用户名已存在");
    public static readonly Core.Http.ApiProblem WeakPassword = new("weak_password", 400, "密码至少8位，且须同时包含字母和数字");
    public static readonly Core.Http.ApiProblem WrongPassword = new("wrong_password", 400, "原密码不正确");

    public static bool IsStrong(string password) =>
        password.Length >= 8 && password.Any(char.IsAsciiLetter) && password.Any(char.IsAsciiDigit);

    /// <summary>A one-time password that is easy to read out over the phone: no 0/O, 1/l/I.</summary>
    public static string OneTimePassword()
    {
        const string letters = "abcdefghjkmnpqrstuvwxyz";
        const string digits = "23456789";
        Span<char> chars = stackalloc char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            var pool = i % 3 == 2 ? digits : letters;
            chars[i] = pool[RandomNumberGenerator.GetInt32(pool.Length)];
        }
        return new string(chars);
    }

    public async Task<Account?> FindAsync(string username, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            $"SELECT {Columns} FROM accounts WHERE username = @username", new { username }, cancellationToken: ct));
    }

    public async Task<Account?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Account>(new CommandDefinition(
            $"SELECT {Columns} FROM accounts WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>The usernames of these accounts (those that exist), for pages that say who did something.</summary>
    public async Task<Dictionary<long, string>> UsernamesAsync(IReadOnlyList<long> ids, CancellationToken ct = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var connection = await store.OpenAsync(ct);
        var where = store.Dialect.InList("id", ids, Args(out var args), "a");
        return (await connection.QueryAsync<(long Id, string Username)>(new CommandDefinition($"SELECT id, username FROM accounts WHERE {where}", args, cancellationToken: ct)))
            .ToDictionary(a => a.Id, a => a.Username);
    }

    /// <summary>Accounts within a jurisdiction, for the accounts page.</summary>
    public Task<List<Account>> ListAsync(ScopedDb db, string? role, int limit, CancellationToken ct = default) =>
        db.QueryAsync<Account>(
            $"SELECT {Columns} FROM accounts WHERE {{scope:division}} AND (@role IS NULL OR role = @role) ORDER BY division, username LIMIT @limit",
            new { role, limit }, ct);

    public Task<Account?> FindInScopeAsync(ScopedDb db, long id, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<Account>($"SELECT {Columns} FROM accounts WHERE id = @id AND {{scope:division}}", new { id }, ct);

    public sealed record NewAccount(string Username, string DisplayName, string Role, long Division, string Password, bool MustChangePassword);

    /// <summary>Creates accounts in one transaction; returns false if a username is already taken.</summary>
    public Task<bool> CreateAsync(IReadOnlyList<NewAccount> accounts, CancellationToken ct = default) => CreateAsync(accounts, null, ct);

    /// <param name="progress">Accounts whose password hash is made, of all: the hash is slow on purpose, and a thousand take a while.</param>
    public async Task<bool> CreateAsync(IReadOnlyList<NewAccount> accounts, IProgress<Core.Progress.RowProgress>? progress, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = accounts.Select((a, i) =>
        {
            var row = new
            {
                a.Username,
                a.DisplayName,
                a.Role,
                a.Division,
                PasswordHash = Hasher.HashPassword(null!, a.Password),
                a.MustChangePassword,
                now,
            };
            progress?.Report(new Core.Progress.RowProgress(i + 1, accounts.Count));
            return row;
        }).ToList();
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var taken = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM accounts WHERE {store.Dialect.InList("username", accounts.Select(a => a.Username).ToList(), Args(out var args))}",
            args, tx, cancellationToken: ct));
        if (taken > 0)
        {
            return false;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO accounts (username, display_name, role, division, password_hash, must_change_password, created_at)
            VALUES (@Username, @DisplayName, @Role, @Division, @PasswordHash, @MustChangePassword, @now)
            """, rows, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    private static DynamicParameters Args(out DynamicParameters args) => args = new DynamicParameters();

    /// <summary>
    /// Checks a password. There is no lock-out a stranger could trigger: after a few failures one (account, client)
    /// pair waits a doubling interval, and clients that never signed in to the account share a per-account budget,
    /// while the owner's usual client keeps its own. Unknown names and wrong passwords get the same answer.
    /// </summary>
    public async Task<LoginResult> LoginAsync(string username, string password, string client, CancellationToken ct = default)
    {
        var name = username.Trim();
        if (_guard.Wait(name, client) is { } wait)
        {
            return new LoginResult(LoginOutcome.Delayed, null, wait);
        }
        var account = await FindAsync(name, ct);
        if (account is null)
        {
            // Hash anyway so that an unknown name takes as long as a wrong password.
            Hasher.HashPassword(null!, password);
            _guard.Failed(name, client);
            return new LoginResult(LoginOutcome.BadCredentials, null);
        }
        var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        await using var connection = await store.OpenAsync(ct);
        if (verdict == PasswordVerificationResult.Failed)
        {
            _guard.Failed(name, client);
            // Counted in one statement, so concurrent failures are all counted; shown to admins, locks nothing.
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = @id", new { id = account.Id }, cancellationToken: ct));
            return new LoginResult(LoginOutcome.BadCredentials, null);
        }
        _guard.Succeeded(name, client);
        // Told only to whoever knows the password, so a disabled name is not revealed to guessers.
        if (account.Disabled)
        {
            return new LoginResult(LoginOutcome.Disabled, null);
        }
        if (account.FailedLogins > 0 || verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE accounts SET failed_logins = 0, password_hash = @hash WHERE id = @id",
                new { id = account.Id, hash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account, password) : account.PasswordHash },
                cancellationToken: ct));
        }
        return new LoginResult(LoginOutcome.Ok, account);
    }

    /// <summary>Begins a server-side session for a cookie or a bearer token; the principal carries its id.</summary>
    public async Task<ClaimsPrincipal> StartSessionAsync(Account account, string scheme, CancellationToken ct = default)
    {
        var id = NewSecret();
        var generation = NewSecret();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO sessions (id, account_id, kind, generation, created_at, last_seen_at) VALUES (@id, @account, @scheme, @generation, @now, @now)",
            new { id, account = account.Id, scheme, generation, now }, cancellationToken: ct));
        return account.ToPrincipal(scheme, id, generation);
    }

    private static string NewSecret() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();

    /// <summary>
    /// Uses a refresh token's principal once: the session moves to a new generation, so the old access and refresh
    /// tokens stop working, and the answer is the principal of the new pair. A second use of the same refresh token
    /// (a copy in someone else's hands) ends the session. Null when the session is over.
    /// </summary>
    public async Task<ClaimsPrincipal?> RefreshAsync(ClaimsPrincipal old, string scheme, CancellationToken ct = default)
    {
        if (old.FindFirstValue(FangyiClaims.Session) is not { } sessionId)
        {
            return null;
        }
        if (!await IsSessionCurrentAsync(old, ct) || await FindAsync(old.AccountId(), ct) is not { } account)
        {
            // Already over, or a refresh token of an older generation: used before, so a copy is about. End it all.
            await EndSessionAsync(sessionId, ct);
            return null;
        }
        var generation = NewSecret();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await store.OpenAsync(ct);
        var moved = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET generation = @generation, last_seen_at = @now WHERE id = @sessionId AND generation = @old AND ended_at IS NULL",
            new { generation, now, sessionId, old = old.FindFirstValue(FangyiClaims.Generation) ?? "" }, cancellationToken: ct));
        _sessions.TryRemove(sessionId, out _);
        if (moved == 0)
        {
            await EndSessionAsync(sessionId, ct);
            return null;
        }
        return account.ToPrincipal(scheme, sessionId, generation);
    }

    /// <summary>Ends the session a principal belongs to (sign-out): on this host at once, on others within seconds.</summary>
    public Task EndSessionAsync(ClaimsPrincipal user, CancellationToken ct = default) =>
        user.FindFirstValue(FangyiClaims.Session) is { } id ? EndSessionAsync(id, ct) : Task.CompletedTask;

    private async Task EndSessionAsync(string sessionId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET ended_at = @now WHERE id = @sessionId AND ended_at IS NULL",
            new { now = clock.GetUtcNow().ToUnixTimeMilliseconds(), sessionId }, cancellationToken: ct));
        _sessions.TryRemove(sessionId, out _);
        connections?.EndSession(sessionId);
    }

    // Every session of the account ends: a new stamp, the open sessions marked ended, live screens closed.
    private async Task EndAllSessionsAsync(System.Data.Common.DbConnection connection, long accountId, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET session_stamp = @stamp WHERE id = @accountId; UPDATE sessions SET ended_at = @now WHERE account_id = @accountId AND ended_at IS NULL",
            new { stamp = NewSecret(), now = clock.GetUtcNow().ToUnixTimeMilliseconds(), accountId }, cancellationToken: ct));
        foreach (var (id, state) in _sessions)
        {
            if (state.Account == accountId)
            {
                _sessions.TryRemove(id, out _);
            }
        }
        connections?.EndAccount(accountId);
    }

    /// <summary>
    /// Is a signed-in session still good: the session has not ended or moved on to a newer refresh generation, the
    /// account exists, is not disabled and its stamp is the one the session began under? Checked on every request
    /// against a copy at most ten seconds old; an end on this host is seen at once, on other hosts within seconds.
    /// </summary>
    public async ValueTask<bool> IsSessionCurrentAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        if (user.FindFirstValue(FangyiClaims.Session) is not { } sessionId)
        {
            return false;
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_sessions.TryGetValue(sessionId, out var state) || now - state.CheckedAt > SessionCheckMs)
        {
            // One read a session at a time: a thousand phones of one team share a token, and all of them find the
            // copy stale in the same millisecond. A thousand reads and last-seen updates of one row at once held the
            // pool and the row lock long enough to fail requests (the registration benchmark lost scans to it).
            var reading = _reading.GetOrAdd(sessionId, id => new Lazy<Task<SessionState>>(() => ReadAndKeepAsync(id, now)));
            try
            {
                state = await reading.Value.WaitAsync(ct);
            }
            finally
            {
                _reading.TryRemove(new KeyValuePair<string, Lazy<Task<SessionState>>>(sessionId, reading));
            }
        }
        return !state.Ended && !state.Disabled && state.Account == user.AccountId()
            && state.Stamp == user.FindFirstValue(FangyiClaims.Stamp)
            && state.Generation == user.FindFirstValue(FangyiClaims.Generation);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<SessionState>>> _reading = new(StringComparer.Ordinal);

    private async Task<SessionState> ReadAndKeepAsync(string sessionId, long now)
    {
        var state = await ReadSessionAsync(sessionId, now, CancellationToken.None);
        if (_sessions.Count > 500_000)
        {
            _sessions.Clear();   // a crude bound: sessions are read again on their next request
        }
        _sessions[sessionId] = state;
        return state;
    }

    private async Task<SessionState> ReadSessionAsync(string sessionId, long now, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(long Account, long? EndedAt, string Generation, long LastSeen)>(new CommandDefinition(
            "SELECT account_id, ended_at, generation, last_seen_at FROM sessions WHERE id = @sessionId", new { sessionId }, cancellationToken: ct));
        var account = row.Account == 0 ? null : await FindAsync(row.Account, ct);
        if (account is null)
        {
            return new SessionState(0, "", true, true, "", 0, now);
        }
        if (row.EndedAt is null && now - row.LastSeen > LastSeenEveryMs)
        {
            // Kept coarse on purpose: a phone sends requests all day, the table needs only "seen lately".
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sessions SET last_seen_at = @now WHERE id = @sessionId", new { now, sessionId }, cancellationToken: ct));
        }
        return new SessionState(account.Id, account.Stamp, account.Disabled, row.EndedAt is not null, row.Generation, now, now);
    }

    public async Task<Core.Http.ApiProblem?> ChangePasswordAsync(long id, string oldPassword, string newPassword, CancellationToken ct = default)
    {
        var account = await FindAsync(id, ct);
        if (account is null)
        {
            return Core.Http.Problems.NotFound;
        }
        if (Hasher.VerifyHashedPassword(account, account.PasswordHash, oldPassword) == PasswordVerificationResult.Failed)
        {
            return WrongPassword;
        }
        if (!IsStrong(newPassword) || newPassword == oldPassword)
        {
            return WeakPassword;
        }
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET password_hash = @hash, must_change_password = @no WHERE id = @id",
            new { hash = Hasher.HashPassword(account, newPassword), no = false, id }, cancellationToken: ct));
        await EndAllSessionsAsync(connection, id, ct);
        return null;
    }

    /// <summary>Gives an account a new one-time password (an admin's reset); every session of it ends.</summary>
    public async Task<string> ResetPasswordAsync(long id, CancellationToken ct = default)
    {
        var password = OneTimePassword();
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET password_hash = @hash, must_change_password = @yes, failed_logins = 0, locked_until = 0 WHERE id = @id",
            new { hash = Hasher.HashPassword(null!, password), yes = true, id }, cancellationToken: ct));
        await EndAllSessionsAsync(connection, id, ct);
        return password;
    }

    /// <summary>Disabling ends every session; so does enabling, so that tokens from before the disable stay dead.</summary>
    public async Task SetDisabledAsync(long id, bool disabled, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE accounts SET disabled = @disabled WHERE id = @id", new { disabled, id }, cancellationToken: ct));
        await EndAllSessionsAsync(connection, id, ct);
    }
}
