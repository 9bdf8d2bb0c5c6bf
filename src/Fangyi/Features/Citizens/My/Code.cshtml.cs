using Fangyi.Core.Pages;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Fangyi.Features.Citizens.My;

// A resident's own citizen code: they prove who they are with number and name and get the signed code as a
// QR drawn here on the server. The number typed is never written back into the page. The code lives minutes;
// wwwroot/js/my-code.js swaps in the next one before it ends.
[AllowAnonymous]
[EnableRateLimiting(Policies.PublicLimit)]
public sealed class CodeModel(CitizenCodes citizens) : PageModel
{
    [BindProperty]
    public string? DocType { get; set; }

    [BindProperty]
    public string? IdNumber { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public CitizensApi.CodeView? Issued { get; private set; }

    public string? QrSvg { get; private set; }

    public string? Error { get; private set; }

    public void OnGet() => Response.Headers.CacheControl = "no-store";

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Response.Headers.CacheControl = "no-store";
        var answer = (await CitizensApi.MyCode(new CitizensApi.ProveRequest(DocType, IdNumber, Name), citizens, ct)).Result;
        IdNumber = null;
        if (ApiAnswer.Value<CitizensApi.CodeView>(answer) is not { } issued)
        {
            Error = ApiAnswer.Problem(answer);
            Response.StatusCode = ApiAnswer.Status(answer);
            return Page();
        }
        Issued = issued;
        QrSvg = issued.QrSvg;
        return Page();
    }

    public static IReadOnlyDictionary<string, string> DocTypeNames => DocTypes.Names;
}
