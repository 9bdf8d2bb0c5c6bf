using Fangyi.Core.Storage;
using System.Globalization;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Sampling;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;

namespace Fangyi.Features.Dashboard;

// The big screen's data over plain HTTP: the view it opens with, the XLSX of what it shows, the daily report as PDF.
public static class DashboardApi
{
    public static readonly ApiProblem DateInvalid = new("date_invalid", 400, "日期格式应为 yyyy-MM-dd");

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/dashboard").WithTags("Dashboard").RequireAuthorization(DashboardSetup.Policy);
        group.MapGet("/view", View)
            .WithSummary("Builds the big screen's view of a round for a division of the caller's jurisdiction: its numbers and those of each child division");
        group.MapGet("/export", Export)
            .WithSummary("Exports what the big screen shows as an XLSX sheet: a row per child division and a total")
            .ProducesFile(MediaTypes.Xlsx);
        group.MapGet("/daily.pdf", DailyPdf)
            .WithSummary("Renders the daily report of a round for a division of the caller's jurisdiction as a PDF, for a day (default today, Beijing time)")
            .ProducesFile(MediaTypes.Pdf);
        app.MapHub<DashboardHub>(DashboardHub.Path);
        return app;
    }

    // The round and the division asked for (default: the account's own), or why not: both must lie in the jurisdiction.
    public static async Task<(RoundInfo? Round, long Division, ApiProblem? Problem)> ResolveAsync(HttpContext http, long round, long? division, Store store, ScreenViews views, CancellationToken ct)
    {
        var scope = http.User.Scope();
        var code = division ?? scope.Root;
        if (!scope.Contains(code) || views.Tree.Find(code) is null)
        {
            return (null, 0, Problems.NotFound);
        }
        if (await SamplingApi.FindRoundAsync(store, round, ct) is not { } found || !SamplingApi.Concerns(found, scope))
        {
            return (null, 0, SamplingProblems.RoundUnknown);
        }
        return (ScreenViews.InfoOf(found), code, null);
    }

    private static async Task<Results<Ok<ScreenView>, ProblemHttpResult>> View(long round, long? division, HttpContext http, Store store, ScreenViews views, CancellationToken ct)
    {
        var (info, code, problem) = await ResolveAsync(http, round, division, store, views, ct);
        return problem is not null ? problem.ToResult() : TypedResults.Ok(views.Build(info!, code, http.User.Scope()));
    }

    // What the screen shows, as a sheet: one row per child division and a total, every counted number as a column.
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Export(long round, long? division, HttpContext http, Store store, ScreenViews views, CancellationToken ct)
    {
        var (info, code, problem) = await ResolveAsync(http, round, division, store, views, ct);
        if (problem is not null)
        {
            return problem.ToResult();
        }
        var view = views.Build(info!, code, http.User.Scope());
        var labels = ScreenLabels.Columns(view.Here.Numbers.Keys);
        var rows = view.Children.Append(view.Here with { Place = view.Here.Place with { Name = "合计：" + view.Here.Place.Name } }).Select(node =>
        {
            var row = new Dictionary<string, object> { ["区划代码"] = node.Place.Code.ToString(CultureInfo.InvariantCulture), ["区划"] = node.Place.Name, ["覆盖率(%)"] = Coverage(node) };
            foreach (var (key, label) in labels)
            {
                row[label] = node.Numbers.TryGetValue(key, out var value) ? value : "";
            }
            return row;
        }).ToList();
        using var sheet = new MemoryStream();
        await sheet.SaveAsAsync(rows.Select(Core.Imports.SafeCell.Row), sheetName: "指挥大屏", cancellationToken: ct);
        var stamp = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
        return TypedResults.File(sheet.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"dashboard-{round}-{code}-{stamp}.xlsx");
    }

    private static object Coverage(ScreenNode node) =>
        node.Numbers.GetValueOrDefault(Residents.ResidentCounters.Residents) is > 0 and var residents
            ? Math.Round(100 * node.Numbers.GetValueOrDefault(SamplingCounters.People) / residents, 1)
            : "";

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DailyPdf(long round, long? division, string? date, HttpContext http, Store store, ScreenViews views, TimeProvider clock, CancellationToken ct)
    {
        var (info, code, problem) = await ResolveAsync(http, round, division, store, views, ct);
        if (problem is not null)
        {
            return problem.ToResult();
        }
        if (ParseDate(date, clock) is not { } day)
        {
            return DateInvalid.ToResult();
        }
        var report = ScreenReport.Build(views, info!, code, http.User.Scope(), day);
        return TypedResults.File(ReportPdf.Render(report), "application/pdf", $"daily-{round}-{code}-{day:yyyyMMdd}.pdf");
    }

    // A yyyy-MM-dd date, or today in China time when none is given; null when unreadable.
    public static DateOnly? ParseDate(string? text, TimeProvider clock) =>
        string.IsNullOrWhiteSpace(text)
            ? DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime)
            : DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
