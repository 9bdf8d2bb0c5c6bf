using System.Globalization;
using Fangyi.Core.Audit;
using Fangyi.Core.Imports;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Pages;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Screening;

// The console's pool page (待排查人员库): a level's cases by state, source, overdue, unassigned or handed to it, with
// the counts above; admins upload a big-data push here. Both go through the API's own handlers.
[Authorize(Policy = ScreeningPolicies.Work)]
public sealed class IndexModel(Store store, ResidentLookups residents, DivisionDirectory divisions, ScreeningRules rules, IngestQueue ingest, ScreeningIntake intake, ImportJobs jobs,
    TimeProvider clock, AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Source { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Unassigned { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool HandedToUs { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Division { get; set; }

    public List<ScreeningApi.CaseView> Cases { get; private set; } = [];

    public ScreeningApi.PoolSummary? Summary { get; private set; }

    public string? Error { get; private set; }

    public string? Message { get; private set; }

    public bool CanPush => User.IsInRole(Roles.Admin);

    public static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(TimeSpan.FromHours(8)).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    [BindProperty(SupportsGet = true)]
    public string? Pushed { get; set; }

    public Task OnGetAsync(CancellationToken ct)
    {
        if (Pushed is { Length: > 0 and <= 64 } job)
        {
            Message = $"推送文件已开始导入（任务 {job}），完成后刷新本页查看；每一行的问题可在导入结果中下载。";
        }
        return LoadAsync(ct);
    }

    // A push answers with a redirect to the list, so reloading the page never sends the file a second time.
    public async Task<IActionResult> OnPostPushAsync(IFormFile? file, string? reason, bool high, CancellationToken ct)
    {
        if (!CanPush)
        {
            Error = "只有管理员可以导入大数据推送";
        }
        else
        {
            var answer = (await ScreeningApi.PushFile(file, reason, high, null, null, HttpContext, store, ingest, intake, jobs, clock, audit, ct)).Result;
            if (ApiAnswer.Value<ResidentsApi.ImportStarted>(answer) is { } started)
            {
                return RedirectToPage(new { source = ScreeningSources.Push, pushed = started.JobId });
            }
            else
            {
                Error = ApiAnswer.Problem(answer);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var state = string.IsNullOrEmpty(State) ? null : State;
        var source = string.IsNullOrEmpty(Source) ? null : Source;
        var answer = (await ScreeningApi.List(Division, state, source, Overdue, Unassigned, HandedToUs, 2000, HttpContext, store, residents, divisions, rules, clock, ct)).Result;
        if (ApiAnswer.Value<List<ScreeningApi.CaseView>>(answer) is { } cases)
        {
            Cases = cases;
        }
        else
        {
            Error ??= ApiAnswer.Problem(answer);
        }
        Summary = ApiAnswer.Value<ScreeningApi.PoolSummary>((await ScreeningApi.Summary(Division, HttpContext, store, divisions, clock, ct)).Result);
    }
}
