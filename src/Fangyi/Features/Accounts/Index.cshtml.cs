using Fangyi.Core.Pages;
using Fangyi.Core.Storage;
using System.Globalization;
using System.Text;
using Fangyi.Core.Audit;
using Fangyi.Core.Imports;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Accounts;

[Authorize(Policy = Policies.Admin)]
public sealed class AccountsModel(Store store, AccountService service, DivisionDirectory divisions, AuditLog audit, TimeProvider clock) : PageModel
{
    public const int Limit = 500;

    [BindProperty(SupportsGet = true)]
    public string? Role { get; set; }

    [BindProperty]
    public string? NewUsername { get; set; }

    [BindProperty]
    public string? NewName { get; set; }

    [BindProperty]
    public string? NewRole { get; set; }

    [BindProperty]
    public string? NewDivision { get; set; }

    [TempData]
    public string? Message { get; set; }

    public string? Error { get; private set; }

    public List<AccountsApi.AccountView> Accounts { get; private set; } = [];

    public List<Division> DivisionOptions { get; } = [];

    // Accounts opened by this request, with their one-time passwords: shown once, never stored.
    public List<AccountsApi.OpenedAccount> Opened { get; } = [];

    public IReadOnlyList<ImportRowError> Errors { get; private set; } = [];

    // The credentials sheet inlined as a data URL, so that it exists nowhere but in this response.
    public string? CredentialsHref { get; private set; }

    public string PathOf(long division) => divisions.Tree.PathName(division);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostOpenAsync(CancellationToken ct)
    {
        var username = NewUsername?.Trim() ?? "";
        var name = NewName?.Trim() ?? "";
        var role = Roles.Parse(NewRole);
        long.TryParse(NewDivision?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var division);
        if (AccountsApi.Check(username, name, role, division, User.Scope(), divisions) is { } fault)
        {
            Error = $"{ConsoleText.ColumnName(fault.Column)}：{fault.Reason}";
        }
        else
        {
            var account = new AccountService.NewAccount(username, name, role!, division, AccountService.OneTimePassword(), MustChangePassword: true);
            if (await service.CreateAsync([account], ct))
            {
                await audit.WriteAsync(HttpContext, "account.create", "account", account.Username, account.Division);
                Opened.Add(new AccountsApi.OpenedAccount(account.Username, account.DisplayName, account.Role, account.Division, account.Password));
                NewUsername = NewName = null;
            }
            else
            {
                Error = AccountService.UsernameTaken.Title;
            }
        }
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostBulkAsync(IFormFile? sheet, CancellationToken ct)
    {
        if (RowIntake.IsMissing(sheet))
        {
            Error = "请选择账号表（XLSX 或 CSV）";
            return await ShowAsync(ct);
        }
        var result = await AccountsApi.BulkOpenAsync(sheet, HttpContext, service, divisions, audit, ct);
        Opened.AddRange(result.Opened);
        Errors = result.Errors;
        if (result.Opened.Count > 0)
        {
            CredentialsHref = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64," + Convert.ToBase64String(AccountsApi.CredentialsSheet(result.Opened));
        }
        else
        {
            Error = "没有开通任何账号，请按下方原因修改后重新上传";
        }
        return await ShowAsync(ct);
    }

    public async Task<IActionResult> OnPostResetAsync(long id, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } account)
        {
            return NotFound();
        }
        var password = await service.ResetPasswordAsync(id, ct);
        await audit.WriteAsync(HttpContext, "account.reset_password", "account", account.Username, account.Division);
        Opened.Add(new AccountsApi.OpenedAccount(account.Username, account.DisplayName, account.Role, account.Division, password));
        return await ShowAsync(ct);
    }

    public Task<IActionResult> OnPostDisableAsync(long id, CancellationToken ct) => SetDisabledAsync(id, true, ct);

    public Task<IActionResult> OnPostEnableAsync(long id, CancellationToken ct) => SetDisabledAsync(id, false, ct);

    public IActionResult OnGetTemplate() =>
        File(Encoding.UTF8.GetBytes("\uFEFF" + ConsoleText.AccountTemplateHeader + "\n"), "text/csv; charset=utf-8", "accounts-template.csv");

    private async Task<IActionResult> SetDisabledAsync(long id, bool disabled, CancellationToken ct)
    {
        if (await FindAsync(id, ct) is not { } account)
        {
            return NotFound();
        }
        await service.SetDisabledAsync(id, disabled, ct);
        await audit.WriteAsync(HttpContext, disabled ? "account.disable" : "account.enable", "account", account.Username, account.Division);
        Message = $"已{(disabled ? "停用" : "启用")}账号 {account.Username}";
        return Redirect("/accounts");
    }

    // An account in the jurisdiction other than the admin's own; anything else does not exist here.
    private async Task<Features.Accounts.Account?> FindAsync(long id, CancellationToken ct) =>
        id == User.AccountId() ? null : await service.FindInScopeAsync(ScopedDb.For(store, User), id, ct);

    private async Task<IActionResult> ShowAsync(CancellationToken ct)
    {
        // The answer may carry one-time passwords: keep it out of every cache.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var list = await service.ListAsync(ScopedDb.For(store, User), Roles.Parse(Role), Limit, ct);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Accounts = list.Select(a => AccountsApi.View(a, divisions, now)).ToList();
        if (divisions.Tree.Find(User.Division()) is { } own)
        {
            DivisionOptions.Add(own);
        }
        DivisionOptions.AddRange(divisions.Tree.Children(User.Division()));
    }
}
