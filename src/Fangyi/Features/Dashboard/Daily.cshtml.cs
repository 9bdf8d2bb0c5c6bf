using Fangyi.Core.Storage;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Dashboard;

// The round's daily report for a division, to print (A4 landscape) or to download as PDF.
[Authorize(Policy = DashboardSetup.Policy)]
public sealed class DailyModel(Store store, ScreenViews views, TimeProvider clock) : PageModel
{
    public ScreenReport? Report { get; private set; }

    public string PdfLink { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(long round, long? division, string? date, CancellationToken ct)
    {
        var (info, code, problem) = await DashboardApi.ResolveAsync(HttpContext, round, division, store, views, ct);
        if (problem is not null || DashboardApi.ParseDate(date, clock) is not { } day)
        {
            return NotFound();
        }
        Report = ScreenReport.Build(views, info!, code, User.Scope(), day);
        PdfLink = $"/api/v1/dashboard/daily.pdf?round={round}&division={code}&date={day:yyyy-MM-dd}";
        return Page();
    }
}
