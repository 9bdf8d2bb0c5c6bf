using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Sampling;

// Jumps from a typed or scanned code to its box or tube page; any staff account.
[Microsoft.AspNetCore.Authorization.Authorize(Policy = SamplingPolicies.Custody)]
public sealed class TraceModel : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet()
    {
        if (string.IsNullOrWhiteSpace(Code))
        {
            return Page();
        }
        if (SampleCode.Parse(Code, CodeType.Box) is { } box)
        {
            return Redirect($"/sampling/boxes/{box}");
        }
        if (SampleCode.Parse(Code, CodeType.Tube) is { } tube)
        {
            return Redirect($"/sampling/tubes/{tube}");
        }
        Error = Code.Trim().StartsWith('B') || Code.Trim().StartsWith('b') ? SamplingProblems.BoxCodeInvalid.Title : SamplingProblems.TubeCodeInvalid.Title;
        return Page();
    }
}
