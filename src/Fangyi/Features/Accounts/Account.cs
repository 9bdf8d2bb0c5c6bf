using Fangyi.Core.Store;
using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Identity;

namespace Fangyi.Features.Accounts;

public sealed record Account
{
    public long Id { get; init; }
    public string Username { get; init; } = "";
    public string DisplayName { get; init; } = "";
    public string Role { get; init; } = "";
    public long Division { get; init; }
    public string PasswordHash { get; init; } = "";
    public bool MustChangePassword { get; init; }
    public int FailedLogins { get; init; }
    public long LockedUntil { get; init; }
    public bool Disabled { get; init; }
    public long CreatedAt { get; init; }

    /// <summary>Changes whenever the password does: sessions carry it, so a reset ends them.</summary>
    public string Stamp => Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(PasswordHash)))[..16];

    public ClaimsPrincipal ToPrincipal(string scheme)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, Username),
            new(ClaimTypes.GivenName, DisplayName),
            new(ClaimTypes.Role, Role),
            new(FangyiClaims.DivisionClaim, Division.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(FangyiClaims.Stamp, Stamp),
        };
        if (MustChangePassword)
        {
            claims.Add(new Claim(FangyiClaims.MustChangePassword, "1"));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}

public enum LoginOutcome
{
    Ok,
    BadCredentials,
    LockedOut,
    Disabled,
}

public sealed class AccountOptions
{
    public int MaxFailedLogins { get; set; } = 5;
    public TimeSpan LockoutFor { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Accounts: creation, log-in with lock-out, password changes. Passwords use ASP.NET Core Identity's hasher.</summary>
public sealed class AccountService(Core.Store.Store store, AccountOptions options, TimeProvider clock)
{
    private const long SessionCheckMs = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, (string Stamp, bool Disabled, long CheckedAt)> _sessions = new();

    private static readonly PasswordHasher<Account> Hasher = new();
    private const string Columns = "id, username, display_name AS DisplayName, role, division, password_hash AS PasswordHash, must_change_password AS MustChangePassword, failed_logins AS FailedLogins, locked_until AS LockedUntil, disabled, created_at AS CreatedAt";

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

    /// <summary>Accounts within a jurisdiction, for the accounts page.</summary>
    public Task<List<Account>> ListAsync(ScopedDb db, string? role, int limit, CancellationToken ct = default) =>
        db.QueryAsync<Account>(
            $"SELECT {Columns} FROM accounts WHERE {{scope:division}} AND (@role IS NULL OR role = @role) ORDER BY division, username LIMIT @limit",
            new { role, limit }, ct);

    public Task<Account?> FindInScopeAsync(ScopedDb db, long id, CancellationToken ct = default) =>
        db.QuerySingleOrDefaultAsync<Account>($"SELECT {Columns} FROM accounts WHERE id = @id AND {{scope:division}}", new { id }, ct);

    public sealed record NewAccount(string Username, string DisplayName, string Role, long Division, string Password, bool MustChangePassword);

    /// <summary>Creates accounts in one transaction; returns false if a username is already taken.</summary>
    public async Task<bool> CreateAsync(IReadOnlyList<NewAccount> accounts, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = accounts.Select(a => new
        {
            a.Username,
            a.DisplayName,
            a.Role,
            a.Division,
            PasswordHash = Hasher.HashPassword(null!, a.Password),
            a.MustChangePassword,
            now,
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

    /// <summary>Checks a password, counting failures: too many lock the account for a while.</summary>
    public async Task<(LoginOutcome Outcome, Account? Account)> LoginAsync(string username, string password, CancellationToken ct = default)
    {
        var account = await FindAsync(username.Trim(), ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (account is null)
        {
            // Hash anyway so that an unknown name takes as long as a wrong password.
            Hasher.HashPassword(null!, password);
            return (LoginOutcome.BadCredentials, null);
        }
        if (account.LockedUntil > now)
        {
            return (LoginOutcome.LockedOut, null);
        }
        var verdict = Hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        await using var connection = await store.OpenAsync(ct);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failed = account.FailedLogins + 1;
            var lockUntil = failed >= options.MaxFailedLogins ? now + (long)options.LockoutFor.TotalMilliseconds : 0;
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE accounts SET failed_logins = @failed, locked_until = @lockUntil WHERE id = @id",
                new { failed = lockUntil > 0 ? 0 : failed, lockUntil, id = account.Id }, cancellationToken: ct));
            return (lockUntil > 0 ? LoginOutcome.LockedOut : LoginOutcome.BadCredentials, null);
        }
        // Told only to whoever knows the password, so a disabled name is not revealed to guessers.
        if (account.Disabled)
        {
            return (LoginOutcome.Disabled, null);
        }
        if (account.FailedLogins > 0 || verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE accounts SET failed_logins = 0, password_hash = @hash WHERE id = @id",
                new { id = account.Id, hash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account, password) : account.PasswordHash },
                cancellationToken: ct));
        }
        return (LoginOutcome.Ok, account);
    }

    /// <summary>
    /// Is a signed-in session still good: the account exists, is not disabled, and its password has not changed
    /// since the session began? Checked on every request against a copy at most ten seconds old, so disabling an
    /// account or resetting its password ends its cookies and tokens within seconds on every host.
    /// </summary>
    public async ValueTask<bool> IsSessionCurrentAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var id = user.AccountId();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!_sessions.TryGetValue(id, out var state) || now - state.CheckedAt > SessionCheckMs)
        {
            var account = await FindAsync(id, ct);
            state = account is null ? ("", true, now) : (account.Stamp, account.Disabled, now);
            _sessions[id] = state;
        }
        return !state.Disabled && state.Stamp == user.FindFirstValue(FangyiClaims.Stamp);
    }

    private void Forget(long id) => _sessions.TryRemove(id, out _);

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
        Forget(id);
        return null;
    }

    /// <summary>Gives an account a new one-time password (an admin's reset) and lifts a lock-out.</summary>
    public async Task<string> ResetPasswordAsync(long id, CancellationToken ct = default)
    {
        var password = OneTimePassword();
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE accounts SET password_hash = @hash, must_change_password = @yes, failed_logins = 0, locked_until = 0 WHERE id = @id",
            new { hash = Hasher.HashPassword(null!, password), yes = true, id }, cancellationToken: ct));
        Forget(id);
        return password;
    }

    public async Task SetDisabledAsync(long id, bool disabled, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("UPDATE accounts SET disabled = @disabled WHERE id = @id", new { disabled, id }, cancellationToken: ct));
        Forget(id);
    }
}
