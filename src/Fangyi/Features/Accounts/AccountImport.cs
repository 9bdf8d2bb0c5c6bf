using System.Globalization;
using Fangyi.Core.Imports;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Progress;

namespace Fangyi.Features.Accounts;

/// <summary>
/// Opens field accounts in bulk from a sheet with columns username, name, role, division (or 用户名, 姓名, 角色,
/// 区划代码): the one set of rules behind the console's upload and <c>fangyi accounts import</c>. Each account gets a
/// one-time password; bad rows are reported by number, column and reason, and the good ones opened together.
/// </summary>
public static class AccountImport
{
    /// <param name="scope">Where the accounts may live: the uploader's jurisdiction, or everywhere for the command line.</param>
    /// <param name="progress">Accounts whose password is set, of those to open (the slow part: a deliberately slow hash each).</param>
    public static async Task<AccountsApi.BulkOpenResult> OpenAsync(IEnumerable<SheetRow> rows, Scope scope, AccountService service, DivisionDirectory divisions,
        IProgress<RowProgress>? progress = null, CancellationToken ct = default)
    {
        var errors = new List<ImportRowError>();
        var opened = new List<AccountService.NewAccount>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var username = row.Get("username", "用户名");
            var displayName = row.Get("name", "姓名");
            var roleText = row.Get("role", "角色");
            var role = Roles.Parse(roleText);
            long.TryParse(row.Get("division", "区划代码"), NumberStyles.None, CultureInfo.InvariantCulture, out var division);
            if (AccountsApi.Check(username, displayName, role, division, scope, divisions) is { } fault)
            {
                errors.Add(new ImportRowError(row.Number, fault.Column, fault.Reason));
                continue;
            }
            if (!Roles.BulkOpened.Contains(role!))
            {
                errors.Add(new ImportRowError(row.Number, "role", "批量开通仅限采样员、转运员、检测机构、网格员和隔离点工作人员"));
                continue;
            }
            if (!names.Add(username))
            {
                errors.Add(new ImportRowError(row.Number, "username", "用户名在文件中重复"));
                continue;
            }
            if (await service.FindAsync(username, ct) is not null)
            {
                errors.Add(new ImportRowError(row.Number, "username", AccountService.UsernameTaken.Title));
                continue;
            }
            opened.Add(new AccountService.NewAccount(username, displayName, role!, division, AccountService.OneTimePassword(), MustChangePassword: true));
        }
        if (opened.Count > 0 && !await service.CreateAsync(opened, progress, ct))
        {
            // Someone took a name between the check and the insert: report the whole sheet as not opened.
            errors.Add(new ImportRowError(0, "username", "用户名已被占用，请重新导入"));
            opened.Clear();
        }
        return new AccountsApi.BulkOpenResult(opened.Select(a => new AccountsApi.OpenedAccount(a.Username, a.DisplayName, a.Role, a.Division, a.Password)).ToList(), errors);
    }
}
