using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Citizens;
using Fangyi.Features.Divisions;
using Fangyi.Core.Printing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Sampling;

/// <summary>Print-ready sheets: tube and box labels of an issued batch, and citizen codes of a village.</summary>
public static class PrintApi
{
    public static readonly ApiProblem NotAVillage = new("division_not_village", 400, "请选择一个村（社区）打印市民码");

    public static IEndpointRouteBuilder MapPrinting(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/sampling/codes/{id:long}/labels", Labels).WithTags("Sampling").RequireAuthorization(SamplingPolicies.Manage)
            .WithSummary("Prints the labels of an issued batch of tube or box codes: an HTML page to print from the browser, or a PDF with format=pdf, on A4 or thermal 50x30 mm")
            .ProducesFile(MediaTypes.Html, MediaTypes.Pdf);
        app.MapGet("/api/v1/citizen-codes/sheet", CitizenSheet).WithTags("Citizens").RequireAuthorization(Citizens.CitizenPolicies.Issue)
            .WithSummary("Prints the citizen codes of every resident of a village, for those without phones: an HTML page, or a PDF with format=pdf; audited")
            .ProducesFile(MediaTypes.Html, MediaTypes.Pdf);
        return app;
    }

    /// <summary>?layout=a4 (3×10 on A4) or thermal (50×30 mm); ?format=html (print from the browser) or pdf.</summary>
    private static async Task<Results<ContentHttpResult, FileContentHttpResult, ProblemHttpResult>> Labels(long id, string? layout, string? format, HttpContext http, IssuedCodes issued, LabelSheet sheets, CancellationToken ct)
    {
        if (await issued.FindAsync(id, ct) is not { } batch || !http.User.Scope().Contains(batch.Division))
        {
            return Problems.NotFound.ToResult();
        }
        var request = new LabelRequest(batch.Title, batch.Codes().ToList(), layout == "thermal" ? LabelLayout.Thermal50x30 : LabelLayout.A4);
        return format == "pdf"
            ? TypedResults.File(sheets.Pdf(request), "application/pdf", $"labels-{batch.Type}-{batch.Id}.pdf")
            : TypedResults.Content(sheets.Html(request), "text/html; charset=utf-8");
    }

    /// <summary>Citizen codes of every resident of a village, for those without phones: name and masked number beside each QR.</summary>
    private static async Task<Results<ContentHttpResult, FileContentHttpResult, ProblemHttpResult>> CitizenSheet(long division, string? format, HttpContext http, Store store, DivisionDirectory divisions, CitizenCodes citizens, CitizenCodeSheet sheets, AuditLog audit, CancellationToken ct)
    {
        if (http.User.Role() is not (Roles.Admin or Roles.VillageWorker))
        {
            return Problems.Forbidden.ToResult();
        }
        if (divisions.Tree.Find(division) is not { Level: DivisionLevel.Village })
        {
            return NotAVillage.ToResult();
        }
        var ids = await ScopedDb.For(store, http.User).QueryAsync<long>("SELECT id FROM residents WHERE division = @division AND {scope:division} ORDER BY name, id", new { division }, ct);
        if (ids.Count == 0)
        {
            return Problems.NotFound.ToResult();
        }
        var cards = (await citizens.IssueAsync(ids, CitizenCodes.Use.Printed, ct)).Select(c => new CitizenCard(c.Name, c.IdMasked, c.Code)).ToList();
        await audit.WriteAsync(http, "resident.citizen_code_sheet", "division", division.ToString(System.Globalization.CultureInfo.InvariantCulture), division, $"{cards.Count} codes");
        var request = new CitizenSheetRequest(divisions.Tree.PathName(division), cards);
        return format == "pdf"
            ? TypedResults.File(sheets.Pdf(request), "application/pdf", $"citizen-codes-{division}.pdf")
            : TypedResults.Content(sheets.Html(request), "text/html; charset=utf-8");
    }
}
