using Fangyi.Core.Pages;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Accounts;

public sealed class PasswordModel(AccountService accounts, IReadOnlyList<Core.Modules.FangyiModule> modules) : PageModel
{
    [BindProperty]
    public string? OldPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public bool MustChange => User.MustChangePassword();

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (NewPassword != ConfirmPassword)
        {
            Error = "两次输入的新密码不一致";
            return Page();
        }
        if (await accounts.ChangePasswordAsync(User.AccountId(), OldPassword ?? "", NewPassword ?? "", ct) is { } problem)
        {
            Error = problem.Title;
            return Page();
        }
        // A fresh cookie without the must-change mark.
        if (await accounts.FindAsync(User.AccountId(), ct) is { } account)
        {
            await HttpContext.SignInWithCookieAsync(account);
        }
        return Redirect(Core.Modules.FangyiModule.LandingOf(modules, User.Role()));
    }
}
