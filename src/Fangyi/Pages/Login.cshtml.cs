using Fangyi.Features.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Fangyi.Pages;

[EnableRateLimiting(AuthSetup.LoginLimit)]
public sealed class LoginModel(AccountService accounts) : PageModel
{
    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (outcome, account) = await accounts.LoginAsync(Username ?? "", Password ?? "", ct);
        Error = outcome switch
        {
            LoginOutcome.Ok => null,
            LoginOutcome.LockedOut => AccountsApi.LockedOut.Title,
            LoginOutcome.Disabled => AccountsApi.AccountDisabled.Title,
            _ => AccountsApi.BadCredentials.Title,
        };
        if (Error is not null)
        {
            Response.StatusCode = outcome == LoginOutcome.LockedOut ? 423 : 401;
            return Page();
        }
        await HttpContext.SignInWithCookieAsync(account!);
        if (account!.MustChangePassword)
        {
            return Redirect("/account/password");
        }
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
