using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Accounts;

// Signing out is a POST (with the antiforgery token), so a link elsewhere cannot log a user out.
public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutEverywhereAsync();
        return Redirect("/login");
    }
}
