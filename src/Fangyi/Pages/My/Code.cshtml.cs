using Fangyi.Core.Identity;
using Fangyi.Features.Accounts;
using Fangyi.Features.Citizens;
using Fangyi.Features.Sampling.Labels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Fangyi.Pages.My;

/// <summary>
/// A resident's own citizen code: they prove who they are with number and name and get the signed code as a
/// QR drawn here on the server. The number typed is never written back into the page.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(AuthSetup.PublicLimit)]
public sealed class CodeModel(CitizenCodes citizens) : PageModel
{
    /// <summary>The QR's printed size; about 260 CSS pixels, a comfortable scan on a 390-pixel-wide phone.</summary>
    private const double QrMillimetres = 68;

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
        QrSvg = Barcodes.Svg(Barcodes.Qr(issued.Code), QrMillimetres, QrMillimetres);
        return Page();
    }

    public static IReadOnlyDictionary<string, string> DocTypeNames => DocTypes.Names;
}
