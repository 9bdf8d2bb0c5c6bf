using Fangyi.Core.Pages;
using System.Globalization;
using Fangyi.Core.Imports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Sampling;

// Results from a lab: a CSV or XLSX file answered row by row, or one tube typed in. Both go through the lab
// results API's handlers and so through the same ingest as every scan.
[Authorize(Policy = SamplingPolicies.LabResults)]
[RequestSizeLimit(64 * 1024 * 1024)]
public sealed class LabModel(ScanIntake intake, Core.Storage.Store store, LabOptions options, TimeProvider clock, Core.Audit.AuditLog audit) : PageModel
{
    // Tubes awaiting a result listed on the page, overdue ones first.
    public const int AwaitingShown = 200;

    public LabWorklist? Worklist { get; private set; }

    [BindProperty] public string? FixTube { get; set; }
    [BindProperty] public string? FixResult { get; set; }
    [BindProperty] public string? FixCt { get; set; }
    [BindProperty] public string? FixReason { get; set; }

    // The correction form's outcome: null, or (accepted, message).
    public (bool Accepted, string Message)? Fixed { get; private set; }

    public override async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        var executed = await next();
        if (executed.Result is PageResult)
        {
            Worklist = await LabApi.WorklistOfAsync(Core.Jurisdiction.ScopedDb.For(store, User), options, clock, HttpContext.RequestAborted);
        }
    }

    // A wrong result put right: a second, audited entry with a reason, which everyone in the tube follows.
    public async Task<IActionResult> OnPostCorrectAsync(CancellationToken ct)
    {
        double? ctValue = null;
        if (!string.IsNullOrWhiteSpace(FixCt))
        {
            if (!double.TryParse(FixCt.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || parsed is < 0 or > 60)
            {
                Fixed = (false, "CT值应为 0 至 60 之间的数字");
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }
            ctValue = parsed;
        }
        var outcome = await LabApi.SubmitCorrectionAsync(new LabApi.CorrectionRequest(null, FixTube, FixResult, ctValue, FixReason), HttpContext, intake, audit, ct);
        if (!outcome.Accepted)
        {
            // The refusal in the API's own words (a problem document), as the lab reads it.
            var problem = System.Text.Json.JsonSerializer.Deserialize<Microsoft.AspNetCore.Mvc.ProblemDetails>(outcome.BodyJson, System.Text.Json.JsonSerializerOptions.Web);
            Fixed = (false, problem is null ? "更正失败" : ApiAnswer.Sentence(problem));
            Response.StatusCode = outcome.Status;
            return Page();
        }
        Fixed = (true, $"已更正 {FixTube?.Trim().ToUpperInvariant()} 的结果，管内人员的状态随之更新");
        FixTube = FixCt = FixReason = null;
        return Page();
    }

    // Rows listed on the page; a bigger file lists its refused rows first.
    public const int RowsShown = 1000;

    public const string TemplateHeader = "试管码,结果,CT值";

    [BindProperty]
    public string? Tube { get; set; }

    [BindProperty]
    public string? Result { get; set; }

    [BindProperty]
    public string? Ct { get; set; }

    public string? FileName { get; private set; }

    public string? Error { get; private set; }

    public List<RowOutcome>? Outcomes { get; private set; }

    public int Accepted => Outcomes?.Count(o => o.Accepted) ?? 0;

    public int Refused => Outcomes?.Count(o => !o.Accepted) ?? 0;

    // The rows to list: all of them, or for a big file the refused ones first.
    public IEnumerable<RowOutcome> Shown =>
        Outcomes is null ? [] : Outcomes.Count <= RowsShown ? Outcomes : Outcomes.OrderBy(o => o.Accepted).ThenBy(o => o.Row).Take(RowsShown);

    // The single-result form's outcome.
    public RowOutcome? One { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostFileAsync(IFormFile? file, CancellationToken ct)
    {
        if (RowIntake.IsMissing(file))
        {
            return Fail(RowIntake.FileMissing.Title);
        }
        if (!RowIntake.IsSheet(file.FileName))
        {
            return Fail("只支持 CSV 或 XLSX 文件");
        }
        FileName = file.FileName;
        var answer = (await SamplingApi.ImportResults(file, HttpContext, intake, ct)).Result;
        Outcomes = ApiAnswer.Value<List<RowOutcome>>(answer);
        if (Outcomes is null)
        {
            return Fail(ApiAnswer.Problem(answer));
        }
        if (Outcomes.Count == 0)
        {
            Error = "文件中没有数据行，请检查表头是否为：" + TemplateHeader;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostOneAsync(CancellationToken ct)
    {
        double? ctValue = null;
        if (!string.IsNullOrWhiteSpace(Ct))
        {
            if (!double.TryParse(Ct.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || parsed is < 0 or > 60)
            {
                return Fail("CT值应为 0 至 60 之间的数字");
            }
            ctValue = parsed;
        }
        var answer = (await SamplingApi.UploadResults([new SamplingApi.ResultRow(Tube, Result, ctValue)], HttpContext, intake, ct)).Result;
        if (ApiAnswer.Value<List<RowOutcome>>(answer) is not [var one])
        {
            return Fail(ApiAnswer.Problem(answer));
        }
        One = one;
        if (one.Accepted)
        {
            Tube = Ct = null;
        }
        return Page();
    }

    public IActionResult OnGetTemplate() =>
        File(System.Text.Encoding.UTF8.GetBytes("\uFEFF" + TemplateHeader + "\n"), "text/csv; charset=utf-8", "lab-results-template.csv");

    private PageResult Fail(string? error)
    {
        Error = error ?? "提交失败";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
