using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Sampling;

// Print-ready sheets: tube and box labels of an issued batch.
public static class PrintApi
{
    public static IEndpointRouteBuilder MapPrinting(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/sampling/codes/{id:long}/labels", Labels).WithTags("Sampling").RequireAuthorization(SamplingPolicies.Manage)
            .WithSummary("Prints the labels of an issued batch of tube or box codes: an HTML page to print from the browser, or a PDF with format=pdf, on A4 or thermal 50x30 mm")
            .ProducesFile(MediaTypes.Html, MediaTypes.Pdf);
        return app;
    }

    // ?layout=a4 (3×10 on A4) or thermal (50×30 mm); ?format=html (print from the browser) or pdf.
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
}
