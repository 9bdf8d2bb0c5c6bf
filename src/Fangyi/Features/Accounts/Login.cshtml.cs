using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Fangyi.Features.Accounts;

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
        var result = await accounts.LoginAsync(Username ?? "", Password ?? "", HttpContext.Client(), ct);
        var account = result.Account;
        if (AccountsApi.Refusal(result, HttpContext) is { } refusal)
        {
            Error = refusal.Detail is null ? refusal.Title : $"{refusal.Title}（{refusal.Detail}）";
            Response.StatusCode = refusal.Status;
            return Page();
        }
        await HttpContext.SignInWithCookieAsync(account!);
        if (account!.MustChangePassword)
        {
            return Redirect("/account/password");
        }
        // A village worker works from the phone app; everyone else lands on the console's home page.
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : account.Role == Core.Jurisdiction.Roles.VillageWorker ? "/village" : "/");
    }
}
