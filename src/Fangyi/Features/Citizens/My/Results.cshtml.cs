using Fangyi.Features.Sampling;
using Fangyi.Core.Pages;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Codes;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Fangyi.Features.Citizens.My;

// A resident's latest samples and results: by number and name, or by their citizen code (pasted, scanned, or
// arriving as /my/results?code=…). The number typed is never written back into the page.
[AllowAnonymous]
[EnableRateLimiting(Policies.PublicLimit)]
public sealed class ResultsModel(CitizenCodes citizens, SignedCodes codes, ResidentLookups residents, ResidentSamples samples, NextSteps steps, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public string? DocType { get; set; }

    [BindProperty]
    public string? IdNumber { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    public CitizensApi.MyResults? Mine { get; private set; }

    public string? Error { get; private set; }

    // Which way the resident asked, so a refusal shows beside the form they used.
    public string Mode { get; private set; } = "identity";

    public long Now { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        string.IsNullOrWhiteSpace(Code) ? Task.FromResult<IActionResult>(Show()) : ByCodeAsync(ct);

    public Task<IActionResult> OnPostCodeAsync(CancellationToken ct) => ByCodeAsync(ct);

    public async Task<IActionResult> OnPostIdentityAsync(CancellationToken ct)
    {
        var answer = (await CitizensApi.MyResultsByIdentity(new CitizensApi.ProveRequest(DocType, IdNumber, Name), citizens, residents, samples, steps, ct)).Result;
        IdNumber = null;
        return Show(answer);
    }

    private async Task<IActionResult> ByCodeAsync(CancellationToken ct)
    {
        Mode = "code";
        var answer = (await CitizensApi.MyResultsByCode(new CitizensApi.CodeRequest(Code, Name), codes, citizens, residents, samples, steps, clock, ct)).Result;
        return Show(answer);
    }

    private PageResult Show(IResult? answer = null)
    {
        Response.Headers.CacheControl = "no-store";
        Now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (answer is not null)
        {
            Mine = ApiAnswer.Value<CitizensApi.MyResults>(answer);
            if (Mine is null)
            {
                Error = ApiAnswer.Problem(answer);
                Response.StatusCode = ApiAnswer.Status(answer);
            }
        }
        return Page();
    }

    // How long ago a sample was taken, as a checkpoint would count it.
    public string Age(long sampledAt)
    {
        var hours = (Now - sampledAt) / 3_600_000;
        return hours < 1 ? "不足1小时" : hours < 72 ? $"{hours}小时" : $"{hours / 24}天";
    }

    public static string Badge(string? result) => SamplingText.ResultBadge(result);
}
