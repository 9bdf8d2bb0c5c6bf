using Fangyi.Core.Storage;
using System.Globalization;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Imports;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;

namespace Fangyi.Features.Accounts;

public static class AccountsApi
{
    public sealed record LoginRequest(string Username, string Password);
    public sealed record LoginResponse(string Username, string DisplayName, string Role, long Division, bool MustChangePassword);
    public sealed record RefreshRequest(string RefreshToken);
    public sealed record ChangePasswordRequest(string OldPassword, string NewPassword);
    public sealed record AccountView(long Id, string Username, string DisplayName, string Role, string RoleName, long Division, string DivisionPath, bool MustChangePassword, bool Locked, bool Disabled);
    public sealed record CreateAccountRequest(string Username, string DisplayName, string Role, long Division);
    public sealed record OpenedAccount(string Username, string DisplayName, string Role, long Division, string OneTimePassword);
    public sealed record BulkOpenResult(IReadOnlyList<OpenedAccount> Opened, IReadOnlyList<ImportRowError> Errors);

    public static readonly ApiProblem BadCredentials = new("bad_credentials", 401, "用户名或密码错误");
    public static readonly ApiProblem LoginDelayed = new("login_delayed", 429, "登录失败次数过多，请稍后再试");
    public static readonly ApiProblem RefreshRefused = new("refresh_refused", 401, "登录已失效，请重新登录");
    public static readonly ApiProblem AccountDisabled = new("account_disabled", 403, "账号已停用");
    public static readonly ApiProblem UnknownRole = new("unknown_role", 400, "角色不存在");
    public static readonly ApiProblem UnknownDivision = new("unknown_division", 400, "区划代码不存在");

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Accounts");
        auth.MapPost("/login", Login).RequireRateLimiting(AuthSetup.LoginLimit)
            .WithSummary("Signs a console user in with a session cookie and answers who signed in");
        auth.MapPost("/token", Token).RequireRateLimiting(AuthSetup.LoginLimit)
            .WithSummary("Signs a phone app in: answers a bearer access token, its lifetime in seconds and a one-use refresh token")
            .Produces<AccessTokenResponse>(StatusCodes.Status200OK);
        auth.MapPost("/refresh", Refresh).RequireRateLimiting(AuthSetup.LoginLimit)
            .WithSummary("Trades a phone app's refresh token for a new token pair; the old pair stops working, and a refresh token used twice ends the session")
            .Produces<AccessTokenResponse>(StatusCodes.Status200OK);
        auth.MapPost("/logout", async (HttpContext http) =>
        {
            await http.SignOutEverywhereAsync();
            return TypedResults.NoContent();
        }).WithSummary("Ends the caller's session, for the cookie and every token of it alike");
        auth.MapGet("/me", (HttpContext http, DivisionDirectory divisions) => TypedResults.Ok(new LoginResponse(
            http.User.Username(), http.User.FindFirst(System.Security.Claims.ClaimTypes.GivenName)?.Value ?? "", http.User.Role(), http.User.Division(),
            http.User.HasClaim(c => c.Type == FangyiClaims.MustChangePassword)))).RequireAuthorization()
            .WithSummary("Reads the signed-in account: its name, role, division and whether it must change its password");
        auth.MapPost("/password", ChangePassword).RequireAuthorization()
            .WithSummary("Changes the signed-in account's own password, given the current one");

        var accounts = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Admin);
        accounts.MapGet("/", List)
            .WithSummary("Lists the accounts of the caller's jurisdiction, optionally of one role, for its admins");
        accounts.MapPost("/", Create)
            .WithSummary("Opens one account in the caller's jurisdiction; its one-time password is in this answer only");
        accounts.MapPost("/import", Import).DisableAntiforgery()
            .WithSummary("Opens field accounts in bulk from a CSV or XLSX sheet; answers the one-time passwords and the refused rows, or with format=xlsx a sheet of the passwords")
            .Produces<BulkOpenResult>(StatusCodes.Status200OK)
            .ProducesFile(MediaTypes.Xlsx);
        accounts.MapPost("/{id:long}/reset-password", ResetPassword)
            .WithSummary("Gives an account of the caller's jurisdiction a new one-time password, shown in this answer only");
        accounts.MapPost("/{id:long}/disable", (long id, HttpContext http, AccountService service, Store store, CancellationToken ct) => SetDisabled(id, true, http, service, store, ct))
            .WithSummary("Disables an account of the caller's jurisdiction (not the caller's own): it can no longer sign in or call");
        accounts.MapPost("/{id:long}/enable", (long id, HttpContext http, AccountService service, Store store, CancellationToken ct) => SetDisabled(id, false, http, service, store, ct))
            .WithSummary("Enables a disabled account of the caller's jurisdiction again");
        return app;
    }

    /// <summary>The refusal for a log-in outcome, the same for an unknown name as for a wrong password.</summary>
    public static ApiProblem? Refusal(LoginResult result, HttpContext http)
    {
        if (result.Outcome == LoginOutcome.Delayed)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(result.RetryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return LoginDelayed.WithDetail($"请 {seconds} 秒后再试");
        }
        return result.Outcome switch
        {
            LoginOutcome.Ok => null,
            LoginOutcome.Disabled => AccountDisabled,
            _ => BadCredentials,
        };
    }

    private static async Task<Results<Ok<LoginResponse>, ProblemHttpResult>> Login(LoginRequest request, HttpContext http, AccountService service, CancellationToken ct)
    {
        var result = await service.LoginAsync(request.Username ?? "", request.Password ?? "", http.Client(), ct);
        var account = result.Account;
        if (Refusal(result, http) is { } problem)
        {
            return problem.ToResult();
        }
        await http.SignInWithCookieAsync(account!);
        return TypedResults.Ok(new LoginResponse(account!.Username, account.DisplayName, account.Role, account.Division, account.MustChangePassword));
    }

    // A bearer token for phone apps: the answer carries accessToken, expiresIn and refreshToken.
    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> Token(LoginRequest request, HttpContext http, AccountService service, CancellationToken ct)
    {
        var result = await service.LoginAsync(request.Username ?? "", request.Password ?? "", http.Client(), ct);
        if (Refusal(result, http) is { } problem)
        {
            return problem.ToResult();
        }
        var principal = await service.StartSessionAsync(result.Account!, BearerTokenDefaults.AuthenticationScheme, ct);
        return TypedResults.SignIn(principal, authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    // A new token pair for a phone app's refresh token. The refresh token is good once: using it moves the session
    // on, so the previous access and refresh tokens stop working; a refresh token used twice ends the session.
    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> Refresh(RefreshRequest request, AccountService service,
        Microsoft.Extensions.Options.IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider clock, CancellationToken ct)
    {
        var ticket = request.RefreshToken is { Length: > 0 and < 8192 } text
            ? bearer.Get(BearerTokenDefaults.AuthenticationScheme).RefreshTokenProtector.Unprotect(text)
            : null;
        if (ticket?.Properties.ExpiresUtc is not { } expires || expires <= clock.GetUtcNow()
            || await service.RefreshAsync(ticket.Principal, BearerTokenDefaults.AuthenticationScheme, ct) is not { } principal)
        {
            return RefreshRefused.ToResult();
        }
        return TypedResults.SignIn(principal, authenticationScheme: BearerTokenDefaults.AuthenticationScheme);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePassword(ChangePasswordRequest request, HttpContext http, AccountService service, CancellationToken ct)
    {
        if (await service.ChangePasswordAsync(http.User.AccountId(), request.OldPassword ?? "", request.NewPassword ?? "", ct) is { } problem)
        {
            return problem.ToResult();
        }
        // Sign in again so the cookie no longer carries the must-change mark.
        if (await service.FindAsync(http.User.AccountId(), ct) is { } account && http.User.Identity?.AuthenticationType == CookieAuthenticationDefaults.AuthenticationScheme)
        {
            await http.SignInWithCookieAsync(account);
        }
        return TypedResults.NoContent();
    }

    public static AccountView View(Account a, DivisionDirectory divisions, long now) => new(
        a.Id, a.Username, a.DisplayName, a.Role, Roles.Names.GetValueOrDefault(a.Role, a.Role), a.Division,
        divisions.Tree.PathName(a.Division), a.MustChangePassword, a.LockedUntil > now, a.Disabled);

    private static async Task<Ok<List<AccountView>>> List(string? role, int? limit, HttpContext http, AccountService service, Store store, DivisionDirectory divisions, TimeProvider clock, CancellationToken ct)
    {
        var list = await service.ListAsync(ScopedDb.For(store, http.User), role, Math.Clamp(limit ?? 500, 1, 5000), ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return TypedResults.Ok(list.Select(a => View(a, divisions, now)).ToList());
    }

    /// <summary>Checks one would-be account against the rules; returns the column and reason of the first fault.</summary>
    public static (string Column, string Reason)? Check(string username, string displayName, string? role, long division, Scope scope, DivisionDirectory divisions)
    {
        if (username.Length is < 3 or > 40 || !username.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            return ("username", "用户名应为3至40位字母、数字或 _ - .");
        }
        if (displayName.Length is 0 or > 40)
        {
            return ("name", "姓名不能为空且不超过40字");
        }
        if (role is null)
        {
            return ("role", UnknownRole.Title);
        }
        if (divisions.Tree.Find(division) is null)
        {
            return ("division", UnknownDivision.Title);
        }
        if (!scope.Contains(division))
        {
            return ("division", Problems.OutsideJurisdiction.Title);
        }
        return null;
    }

    private static async Task<Results<Created<OpenedAccount>, ProblemHttpResult>> Create(CreateAccountRequest request, HttpContext http, AccountService service, DivisionDirectory divisions, AuditLog audit, CancellationToken ct)
    {
        var role = Roles.Parse(request.Role);
        if (Check(request.Username?.Trim() ?? "", request.DisplayName?.Trim() ?? "", role, request.Division, http.User.Scope(), divisions) is { } fault)
        {
            var problem = fault.Reason == Problems.OutsideJurisdiction.Title ? Problems.OutsideJurisdiction : Problems.Validation.WithDetail($"{fault.Column}: {fault.Reason}");
            return problem.ToResult();
        }
        var password = AccountService.OneTimePassword();
        var account = new AccountService.NewAccount(request.Username!.Trim(), request.DisplayName!.Trim(), role!, request.Division, password, MustChangePassword: true);
        if (!await service.CreateAsync([account], ct))
        {
            return AccountService.UsernameTaken.ToResult();
        }
        await audit.WriteAsync(http, "account.create", "account", account.Username, account.Division);
        return TypedResults.Created($"/api/v1/accounts?username={account.Username}", new OpenedAccount(account.Username, account.DisplayName, account.Role, account.Division, password));
    }

    // Opens sampler, courier and lab accounts (and the other field roles) in bulk from an XLSX or CSV sheet, by the
    // rules of AccountImport; each one-time password is returned once.
    private static async Task<IResult> Import(IFormFile file, string? format, HttpContext http, AccountService service, DivisionDirectory divisions, AuditLog audit, CancellationToken ct)
    {
        var result = await BulkOpenAsync(file, http, service, divisions, audit, ct);
        return format == "xlsx"
            ? TypedResults.File(CredentialsSheet(result.Opened), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "accounts.xlsx")
            : TypedResults.Ok(result);
    }

    public static async Task<BulkOpenResult> BulkOpenAsync(IFormFile file, HttpContext http, AccountService service, DivisionDirectory divisions, AuditLog audit, CancellationToken ct)
    {
        var result = await AccountImport.OpenAsync(await RowIntake.RowsAsync(file, ImportLimits.Accounts, ct), http.User.Scope(), service, divisions, ct: ct);
        if (result.Opened.Count > 0)
        {
            await audit.WriteAsync(http, "account.bulk_open", "account", null, http.User.Division(), $"{result.Opened.Count} accounts from {file.FileName}");
        }
        return result;
    }

    public static byte[] CredentialsSheet(IEnumerable<OpenedAccount> opened)
    {
        using var output = new MemoryStream();
        output.SaveAs(opened.Select(a => Core.Imports.SafeCell.Row(new Dictionary<string, object>
        {
            ["用户名"] = a.Username,
            ["姓名"] = a.DisplayName,
            ["角色"] = Roles.Names.GetValueOrDefault(a.Role, a.Role),
            ["区划代码"] = a.Division.ToString(CultureInfo.InvariantCulture),
            ["初始密码(首次登录须修改)"] = a.OneTimePassword,
        })));
        return output.ToArray();
    }

    private static async Task<Results<Ok<OpenedAccount>, ProblemHttpResult>> ResetPassword(long id, HttpContext http, AccountService service, Store store, AuditLog audit, CancellationToken ct)
    {
        if (await service.FindInScopeAsync(ScopedDb.For(store, http.User), id, ct) is not { } account)
        {
            return Problems.NotFound.ToResult();
        }
        var password = await service.ResetPasswordAsync(id, ct);
        await audit.WriteAsync(http, "account.reset_password", "account", account.Username, account.Division);
        return TypedResults.Ok(new OpenedAccount(account.Username, account.DisplayName, account.Role, account.Division, password));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SetDisabled(long id, bool disabled, HttpContext http, AccountService service, Store store, CancellationToken ct)
    {
        if (await service.FindInScopeAsync(ScopedDb.For(store, http.User), id, ct) is null || id == http.User.AccountId())
        {
            return Problems.NotFound.ToResult();
        }
        await service.SetDisabledAsync(id, disabled, ct);
        return TypedResults.NoContent();
    }
}
