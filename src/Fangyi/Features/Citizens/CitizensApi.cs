using Fangyi.Core.Storage;
using Fangyi.Core.Audit;
using Fangyi.Core.Codes;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using Fangyi.Core.Printing;
using Microsoft.AspNetCore.Http.HttpResults;

using Fangyi.Core.Status;

namespace Fangyi.Features.Citizens;

public static class CitizensApi
{
    public sealed record ProveRequest(string? DocType, string? IdNumber, string? Name);
    public sealed record CodeRequest(string? Code, string? Name = null);
    public sealed record CodeView(string Name, string IdMasked, string Code, DateTimeOffset Expires)
    {
        // The QR drawn on the server, for the phone page that swaps in the next code by itself.
        public string? QrSvg { get; init; }
    }
    public sealed record ResultView(long SampledAt, string Tube, string? Result, string ResultName, long? ResultedAt, bool RepeatInRound);
    // Next: what to do and whom to call when the latest result is not negative (null otherwise).
    public sealed record MyResults(string Name, string IdMasked, IReadOnlyList<ResultView> Results, NextStep? Next = null);
    public sealed record RevokeRequest(string? Reason);
    public sealed record RevokeResult(int Revoked);
    public sealed record KeySet(IReadOnlyList<CodeKeys.PublicKey> Keys);
    public sealed record RevocationList(long AsOf, IReadOnlyList<CodeRevocations.Revocation> Revocations);

    public static readonly ApiProblem NotProven = new("identity_not_matched", 404, "证件号码与姓名不匹配，或尚未登记");
    public static readonly ApiProblem CodeInvalid = new("citizen_code_invalid", 400, "市民码无效");
    public static readonly ApiProblem NameRequired = new("citizen_code.name_required", 400, "此市民码不是刚刚领取的，请同时填写本人姓名");
    public static readonly ApiProblem NotAVillage = new("division_not_village", 400, "请选择一个村（社区）打印市民码");
    public static readonly ApiProblem NotRefreshable = new("citizen_code.not_refreshable", 400, "只有手机上的市民码可以刷新，请重新领取");

    // The QR's size on a phone; about 260 CSS pixels, a comfortable scan on a 390-pixel-wide phone.
    public const double QrMillimetres = 68;

    // The resident handlers are internal: the resident pages (/my/code, /my/results) call them directly.
    public static IEndpointRouteBuilder MapCitizens(this IEndpointRouteBuilder app)
    {
        // Residents have no accounts: they prove who they are with number and name, or show their code.
        var open = app.MapGroup("/api/v1/public").WithTags("Citizens").AllowAnonymous().RequireRateLimiting(Policies.PublicLimit);
        open.MapPost("/citizen-code", MyCode)
            .WithSummary("Gives a resident their citizen code for the phone, once they prove who they are with document number and name");
        open.MapPost("/citizen-code/refresh", Refresh)
            .WithSummary("Swaps a phone's still-valid citizen code for the next one, so the resident need not type their number again; printed codes are not refreshed");
        open.MapPost("/results", MyResultsByIdentity)
            .WithSummary("Shows a resident their sampling results, once they prove who they are with document number and name");
        open.MapPost("/results/by-code", MyResultsByCode)
            .WithSummary("Shows the holder of a citizen code their sampling results; a printed code must come with the holder's name");
        open.MapGet("/code-revocations", Revocations)
            .WithSummary("Lists the citizen codes revoked since a time (Unix ms) and not yet expired, for offline verifiers to refuse them");

        // Offline verifiers (kiosks without a connection, other systems) check signatures against these keys.
        app.MapGet("/.well-known/fangyi-code-keys", (CodeKeys keys) => TypedResults.Ok(new KeySet(keys.PublicKeys())))
            .WithTags("Citizens").AllowAnonymous().RequireRateLimiting(Policies.PublicLimit)
            .WithSummary("Publishes the public keys that sign citizen codes, for verifiers that check codes offline");

        var staff = app.MapGroup("/api/v1/residents").WithTags("Citizens").RequireAuthorization(CitizenPolicies.Issue);
        staff.MapPost("/{id:long}/citizen-code", IssueFor)
            .WithSummary("Issues a printed citizen code for a resident of the caller's jurisdiction, revoking the earlier printed ones; audited");
        staff.MapPost("/{id:long}/citizen-codes/revoke", RevokeFor).RequireAuthorization(Policies.Admin)
            .WithSummary("Revokes a resident's printed citizen codes (a lost or misused card), for an admin of the jurisdiction; audited");
        app.MapGet("/api/v1/citizen-codes/sheet", CitizenSheet).WithTags("Citizens").RequireAuthorization(CitizenPolicies.Issue)
            .WithSummary("Prints the citizen codes of every resident of a village, for those without phones: an HTML page, or a PDF with format=pdf; audited")
            .ProducesFile(MediaTypes.Html, MediaTypes.Pdf);
        return app;
    }

    internal static async Task<Results<Ok<CodeView>, ProblemHttpResult>> MyCode(ProveRequest request, CitizenCodes citizens, CancellationToken ct)
    {
        if (await citizens.ProveAsync(request.DocType, request.IdNumber, request.Name, ct) is not { } id)
        {
            return NotProven.ToResult();
        }
        return TypedResults.Ok(View((await citizens.IssueAsync([id], CitizenCodes.Use.Phone, ct))[0]));
    }

    private static CodeView View(CitizenCodes.Issued issued) =>
        new(ResidentRules.MaskName(issued.Name), issued.IdMasked, issued.Code, issued.Expires) { QrSvg = Barcodes.Svg(Barcodes.Qr(issued.Code), QrMillimetres, QrMillimetres) };

    // The next phone code for the holder of a phone code still valid: the /my/code page asks before its code ends,
    // so the resident does not type the number again. A printed (long-lived) code is not refreshed: it would turn a
    // found card into a phone code.
    internal static async Task<Results<Ok<CodeView>, ProblemHttpResult>> Refresh(CodeRequest request, SignedCodes codes, CitizenCodes citizens, CancellationToken ct)
    {
        var (error, claims) = codes.Verify(request.Code?.Trim() ?? "");
        if (error != CodeError.None)
        {
            return CodeProblems.For(error).ToResult();
        }
        if (claims!.Kind != CodeKind.Citizen)
        {
            return CodeProblems.WrongKind.ToResult();
        }
        if (claims.Lifetime > CitizenCodes.PhoneLifetime)
        {
            return NotRefreshable.ToResult();
        }
        if (await citizens.ResidentOfAsync(claims.Subject, ct) is not { } id)
        {
            return CodeInvalid.ToResult();
        }
        return TypedResults.Ok(View((await citizens.IssueAsync([id], CitizenCodes.Use.Phone, ct))[0]));
    }

    internal static async Task<Results<Ok<MyResults>, ProblemHttpResult>> MyResultsByIdentity(ProveRequest request, CitizenCodes citizens, ResidentLookups residents, ResidentSamples samples, NextSteps steps, CancellationToken ct) =>
        await citizens.ProveAsync(request.DocType, request.IdNumber, request.Name, ct) is { } id
            ? TypedResults.Ok(await ResultsOfAsync(residents, samples, steps, id, ct))
            : NotProven.ToResult();

    // Results for the holder of a code: a phone code, issued minutes ago, is enough (the phone that just got it); a
    // printed card, or a photo of one, must come with the holder's name.
    internal static async Task<Results<Ok<MyResults>, ProblemHttpResult>> MyResultsByCode(CodeRequest request, SignedCodes codes, CitizenCodes citizens, ResidentLookups residents, ResidentSamples samples, NextSteps steps, TimeProvider clock, CancellationToken ct)
    {
        var (error, claims) = codes.Verify(request.Code?.Trim() ?? "");
        if (error != CodeError.None)
        {
            return CodeProblems.For(error).ToResult();
        }
        if (claims!.Kind != CodeKind.Citizen)
        {
            return CodeProblems.WrongKind.ToResult();
        }
        if (await citizens.ResidentOfAsync(claims.Subject, ct) is not { } id)
        {
            return CodeInvalid.WithDetail(CodeMessages.For(error)).ToResult();
        }
        var fresh = claims.Lifetime <= CitizenCodes.PhoneLifetime && clock.GetUtcNow() - claims.IssuedAt <= CitizenCodes.PhoneLifetime;
        if (!fresh)
        {
            if (string.IsNullOrWhiteSpace(request.Name))
            {
                return NameRequired.ToResult();
            }
            if (!await citizens.NameMatchesAsync(id, request.Name, ct))
            {
                return NotProven.ToResult();
            }
        }
        return TypedResults.Ok(await ResultsOfAsync(residents, samples, steps, id, ct));
    }

    private static async Task<Ok<RevocationList>> Revocations(long? since, CodeRevocations revocations, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(new RevocationList(clock.GetUtcNow().ToUnixTimeMilliseconds(), await revocations.ListAsync(since ?? 0, ct)));

    public static async Task<MyResults> ResultsOfAsync(ResidentLookups residents, ResidentSamples samples, NextSteps steps, long residentId, CancellationToken ct)
    {
        var person = (await residents.FindAsync([residentId], ct)).Single();
        var rows = await samples.LatestAsync(residentId, 20, ct);
        var views = rows.Select(r => new ResultView(r.SampledAt, r.TubeCode, r.Result,
            r.NeverTested ? "未检测，请重新采样" : r.Result is null ? "待出结果" : SampleResults.Names.GetValueOrDefault(r.Result, r.Result), r.ResultedAt, r.RepeatInRound)).ToList();
        var latest = rows.FirstOrDefault();
        var next = latest is null ? null : steps.For(latest.NeverTested ? NextSteps.Resample : latest.Result, person.Division);
        return new MyResults(ResidentRules.MaskName(person.Name), person.IdMasked, views, next);
    }

    // A printed code for one resident of the jurisdiction, for staff who print or send it (audited); earlier printed codes are revoked.
    private static async Task<Results<Ok<CodeView>, ProblemHttpResult>> IssueFor(long id, HttpContext http, Store store, DivisionDirectory divisions, CitizenCodes citizens, AuditLog audit, CancellationToken ct)
    {
        if (http.User.Role() is not (Roles.Admin or Roles.VillageWorker) || await ResidentQueries.FindAsync(ScopedDb.For(store, http.User), divisions.Tree, id, ct) is not { } resident)
        {
            return Problems.NotFound.ToResult();
        }
        var issued = (await citizens.IssueAsync([id], CitizenCodes.Use.Printed, ct))[0];
        await audit.WriteAsync(http, "resident.citizen_code", "resident", id.ToString(System.Globalization.CultureInfo.InvariantCulture), resident.Division);
        return TypedResults.Ok(new CodeView(issued.Name, issued.IdMasked, issued.Code, issued.Expires));
    }

    // Revokes a resident's printed codes on request (a lost or misused card): an admin of the jurisdiction, audited.
    private static async Task<Results<Ok<RevokeResult>, ProblemHttpResult>> RevokeFor(long id, RevokeRequest? request, HttpContext http, Store store, DivisionDirectory divisions, CitizenCodes citizens, AuditLog audit, CancellationToken ct)
    {
        if (await ResidentQueries.FindAsync(ScopedDb.For(store, http.User), divisions.Tree, id, ct) is not { } resident)
        {
            return Problems.NotFound.ToResult();
        }
        var reason = string.IsNullOrWhiteSpace(request?.Reason) ? "requested" : request.Reason.Trim();
        if (reason.Length > 200)
        {
            return Problems.Validation.WithDetail("作废原因不超过200字").ToResult();
        }
        var revoked = await citizens.RevokePrintedAsync(id, reason, ct);
        await audit.WriteAsync(http, "resident.citizen_codes_revoked", "resident", id.ToString(System.Globalization.CultureInfo.InvariantCulture), resident.Division, $"{revoked} codes");
        return TypedResults.Ok(new RevokeResult(revoked));
    }

    // Citizen codes of every resident of a village, for those without phones: name and masked number beside each QR.
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
        var ids = await ResidentLookups.LivingInAsync(ScopedDb.For(store, http.User), division, ct);
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
