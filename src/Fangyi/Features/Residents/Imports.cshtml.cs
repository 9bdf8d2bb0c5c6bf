using Fangyi.Core.Pages;
using Fangyi.Core.Storage;
using System.Text;
using Fangyi.Core.Audit;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Residents;

[Authorize(Policy = Policies.Admin)]
[RequestSizeLimit(256 * 1024 * 1024)]
public sealed class ImportsModel(Store store, DivisionDirectory divisions, KeyRing keys, ImportJobs jobs, AuditLog audit) : PageModel
{
    public const int ErrorsShown = 100;

    [BindProperty(SupportsGet = true)]
    public string? Job { get; set; }

    public ImportJob? Current { get; private set; }

    public List<ImportJob> Recent { get; private set; } = [];

    public string? Error { get; private set; }

    public void OnGet() => Load();

    public async Task<IActionResult> OnPostAsync(IFormFile? file, CancellationToken ct)
    {
        if (RowIntake.IsMissing(file))
        {
            Error = RowIntake.FileMissing.Title;
        }
        else if (!RowIntake.IsSheet(file.FileName))
        {
            Error = "仅支持 CSV 或 XLSX 文件";
        }
        if (Error is not null)
        {
            Load();
            return Page();
        }
        var job = await ResidentsApi.StartImportAsync(file!, HttpContext, store, divisions, keys, jobs, audit, ct);
        return Redirect($"/imports?job={job.Id}");
    }

    // An empty sheet with the header row, UTF-8 with a byte-order mark so that Excel reads the Chinese.
    public IActionResult OnGetTemplate() =>
        File(Encoding.UTF8.GetBytes("\uFEFF" + ConsoleText.ResidentTemplateHeader + "\n"), "text/csv; charset=utf-8", "residents-template.csv");

    public static string StateName(ImportState state) => state switch
    {
        ImportState.Running => "导入中",
        ImportState.Done => "已完成",
        _ => "失败",
    };

    private void Load()
    {
        Current = Job is null ? null : jobs.Find(Job, User.AccountId());
        Recent = jobs.ForAccount(User.AccountId()).Where(j => j != Current).Take(10).ToList();
    }
}
