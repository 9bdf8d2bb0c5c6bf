using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Core.Codes;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Accounts;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Citizens;

public static class CitizensApi
{
    public sealed record ProveRequest(string? DocType, string? IdNumber, string? Name);
    public sealed record CodeRequest(string? Code);
    public sealed record CodeView(string Name, string IdMasked, string Code, DateTimeOffset Expires);
    public sealed record ResultView(long SampledAt, string Tube, string? Result, string ResultName, long? ResultedAt, bool RepeatInRound);
    public sealed record MyResults(string Name, string IdMasked, IReadOnlyList<ResultView> Results);

    public static readonly ApiProblem NotProven = new("identity_not_matched", 404, "证件号码与姓名不匹配，或尚未登记");
    public static readonly ApiProblem CodeInvalid = new("citizen_code_invalid", 400, "市民码无效");

    // The resident handlers are internal: the resident pages (/my/code, /my/results) call them directly.
    public static IEndpointRouteBuilder MapCitizens(this IEndpointRouteBuilder app)
    {
        // Residents have no accounts: they prove who they are with number and name, or show their code.
        var open = app.MapGroup("/api/v1/public").WithTags("Citizens").AllowAnonymous().RequireRateLimiting(AuthSetup.PublicLimit);
        open.MapPost("/citizen-code", MyCode);
        open.MapPost("/results", MyResultsByIdentity);
        open.MapPost("/results/by-code", MyResultsByCode);

        var staff = app.MapGroup("/api/v1/residents").WithTags("Citizens").RequireAuthorization(CitizenPolicies.Issue);
        staff.MapPost("/{id:long}/citizen-code", IssueFor);
        return app;
    }

    internal static async Task<Results<Ok<CodeView>, ProblemHttpResult>> MyCode(ProveRequest request, CitizenCodes citizens, CancellationToken ct)
    {
        if (await citizens.ProveAsync(request.DocType, request.IdNumber, request.Name, ct) is not { } id)
        {
            return NotProven.ToResult();
        }
        var issued = (await citizens.IssueAsync([id], ct))[0];
        return TypedResults.Ok(new CodeView(ResidentRules.MaskName(issued.Name), issued.IdMasked, issued.Code, issued.Expires));
    }

    internal static async Task<Results<Ok<MyResults>, ProblemHttpResult>> MyResultsByIdentity(ProveRequest request, CitizenCodes citizens, Core.Store.Store store, CancellationToken ct) =>
        await citizens.ProveAsync(request.DocType, request.IdNumber, request.Name, ct) is { } id
            ? TypedResults.Ok(await ResultsOfAsync(store, id, ct))
            : NotProven.ToResult();

    internal static async Task<Results<Ok<MyResults>, ProblemHttpResult>> MyResultsByCode(CodeRequest request, SignedCodes codes, CitizenCodes citizens, Core.Store.Store store, CancellationToken ct)
    {
        var (error, claims) = codes.Verify(request.Code?.Trim() ?? "");
        if (error != CodeError.None || claims!.Kind != CodeKind.Citizen || await citizens.ResidentOfAsync(claims.Subject, ct) is not { } id)
        {
            return CodeInvalid.WithDetail(CodeMessages.For(error)).ToResult();
        }
        return TypedResults.Ok(await ResultsOfAsync(store, id, ct));
    }

    private sealed record Row
    {
        public long SampledAt { get; init; }
        public string TubeCode { get; init; } = "";
        public string? Result { get; init; }
        public long? ResultedAt { get; init; }
        public bool RepeatInRound { get; init; }
    }

    public static async Task<MyResults> ResultsOfAsync(Core.Store.Store store, long residentId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var person = await connection.QuerySingleAsync<(string Name, string IdMasked)>(new CommandDefinition(
            "SELECT name, id_masked FROM residents WHERE id = @residentId", new { residentId }, cancellationToken: ct));
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT sampled_at AS SampledAt, tube_code AS TubeCode, result, resulted_at AS ResultedAt, repeat_in_round AS RepeatInRound FROM samples WHERE resident_id = @residentId AND removed = @no ORDER BY sampled_at DESC LIMIT 20",
            new { residentId, no = false }, cancellationToken: ct));
        return new MyResults(ResidentRules.MaskName(person.Name), person.IdMasked, rows.Select(r => new ResultView(r.SampledAt, r.TubeCode, r.Result,
            r.Result is null ? "待出结果" : SampleResults.Names.GetValueOrDefault(r.Result, r.Result), r.ResultedAt, r.RepeatInRound)).ToList());
    }

    /// <summary>A code for one resident of the jurisdiction, for staff who print or send it (audited).</summary>
    private static async Task<Results<Ok<CodeView>, ProblemHttpResult>> IssueFor(long id, HttpContext http, Core.Store.Store store, DivisionDirectory divisions, CitizenCodes citizens, AuditLog audit, CancellationToken ct)
    {
        if (http.User.Role() is not (Roles.Admin or Roles.VillageWorker) || await ResidentQueries.FindAsync(ScopedDb.For(store, http.User), divisions.Tree, id, ct) is not { } resident)
        {
            return Problems.NotFound.ToResult();
        }
        var issued = (await citizens.IssueAsync([id], ct))[0];
        await audit.WriteAsync(http, "resident.citizen_code", "resident", id.ToString(System.Globalization.CultureInfo.InvariantCulture), resident.Division);
        return TypedResults.Ok(new CodeView(issued.Name, issued.IdMasked, issued.Code, issued.Expires));
    }
}
