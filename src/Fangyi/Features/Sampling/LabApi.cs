using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Sampling;

// The lab's own calls beside the scans: its worklist, corrections of a result, and (for couriers) the labs a box
// can be handed to.
public static class LabApi
{
    public sealed record CorrectionRequest(string? ClientId, string? Tube, string? Result, double? Ct, string? Reason);

    public sealed record LabView(string Username, string Name);

    private const int BoxesListed = 500;
    private const int TubesListed = 2000;
    private const int LabsListed = 200;

    public static IEndpointRouteBuilder MapLab(this IEndpointRouteBuilder app)
    {
        var lab = app.MapGroup("/api/v1/lab").WithTags("Sampling").RequireAuthorization(SamplingPolicies.LabResults);
        lab.MapGet("/worklist", WorklistAsync)
            .WithSummary("The lab's worklist in its jurisdiction: boxes received and not yet done, tubes without a result, those overdue against the turnaround");
        lab.MapPost("/corrections", CorrectAsync)
            .WithSummary("Sets a tube's wrong result right, with a reason: kept beside the first result and audited; everyone in the tube follows the new result")
            .Produces<TubeResultView>();
        app.MapGet("/api/v1/sampling/labs", LabsAsync).WithTags("Sampling").RequireAuthorization(SamplingPolicies.Custody)
            .WithSummary("The labs of the caller's city, for a courier handing a box over");
        return app;
    }

    internal static async Task<Ok<LabWorklist>> WorklistAsync(HttpContext http, Store store, LabOptions options, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await WorklistOfAsync(ScopedDb.For(store, http.User), options, clock, ct));

    internal static async Task<LabWorklist> WorklistOfAsync(ScopedDb db, LabOptions options, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var since = now - (long)TimeSpan.FromDays(1).TotalMilliseconds;
        var boxes = await db.QueryAsync<LabWorklist.BoxAtLab>(
            $$"""
            SELECT code AS Box, state AS State, tubes AS Tubes, people AS People, tubes_done AS TubesDone, received_at AS ReceivedAt,
                   reconciled_at AS ReconciledAt, discrepancy AS Discrepancy
            FROM boxes
            WHERE state IN ('received', 'testing', 'done') AND (state <> 'done' OR received_at > @since) AND {scope:division}
            ORDER BY received_at DESC LIMIT {{BoxesListed}}
            """, new { since }, ct);
        var found = (boxes.Count == 0 ? [] : await db.QueryAsync<(string Box, string Tube, string Kind)>(
            """
            SELECT d.box_code, d.tube_code, d.kind FROM box_discrepancies d JOIN boxes b ON b.code = d.box_code
            WHERE b.state IN ('received', 'testing', 'done') AND (b.state <> 'done' OR b.received_at > @since) AND {scope:b.division}
            ORDER BY d.id
            """, new { since }, ct)).ToLookup(f => f.Box);
        var late = now - (long)options.Turnaround.TotalMilliseconds;
        var tubes = await db.QueryAsync<LabWorklist.TubeAwaiting>(
            $$"""
            SELECT code AS Tube, box_code AS Box, capacity AS Capacity, people AS People, received_at AS ReceivedAt
            FROM tubes WHERE state = 'received' AND {scope:division}
            ORDER BY received_at LIMIT {{TubesListed}}
            """, null, ct);
        tubes = tubes.Select(t => t with { Overdue = t.ReceivedAt < late }).ToList();
        return new LabWorklist((long)options.Turnaround.TotalMinutes,
            boxes.Select(b => b with
            {
                StateName = BoxStates.Names.GetValueOrDefault(b.State, b.State),
                Found = found[b.Box].Select(f => new LabWorklist.Found(f.Tube, f.Kind, Discrepancies.Names.GetValueOrDefault(f.Kind, f.Kind))).ToList(),
            }).ToList(),
            tubes, tubes.Count(t => t.Overdue));
    }

    // A correction is a scan of its own kind (so it lands once, in order with the results), then an audit entry.
    internal static async Task<IResult> CorrectAsync(CorrectionRequest request, HttpContext http, ScanIntake intake, AuditLog audit, CancellationToken ct) =>
        (await SubmitCorrectionAsync(request, http, intake, audit, ct)).ToResult();

    /// <summary>A correction through the ingest, audited once accepted; the API and the lab's page both answer with its outcome.</summary>
    internal static async Task<IngestOutcome> SubmitCorrectionAsync(CorrectionRequest request, HttpContext http, ScanIntake intake, AuditLog audit, CancellationToken ct)
    {
        var clientId = string.IsNullOrWhiteSpace(request.ClientId) ? IngestItem.NewClientId() : request.ClientId;
        var outcome = await intake.SubmitAsync(new ScanRequest(clientId, ScanKinds.Correct, Tube: request.Tube?.Trim().ToUpperInvariant(), Result: request.Result,
            Ct: request.Ct, Reason: request.Reason), http.User, null, ownEndpoint: true, ct);
        if (outcome.Accepted && !outcome.Repeat)
        {
            var result = SampleResults.Parse(request.Result) ?? "";
            await audit.WriteAsync(http, "lab.result_corrected", "tube", request.Tube?.Trim().ToUpperInvariant(), http.User.Division(),
                $"更正为{SampleResults.Names.GetValueOrDefault(result, result)}：{request.Reason?.Trim()}");
        }
        return outcome;
    }

    // Labs are bound to a county or to the city; a courier of any county of the city may bring them boxes.
    internal static async Task<Ok<List<LabView>>> LabsAsync(HttpContext http, Store store, DivisionDirectory divisions, AccountService accounts, CancellationToken ct)
    {
        var division = http.User.Division();
        var city = divisions.Tree.Path(division).FirstOrDefault(d => d.Level == DivisionLevel.City)?.Code ?? division;
        var labs = await accounts.ListAsync(new ScopedDb(store, Scope.Of(city)), Roles.Lab, LabsListed, ct);
        return TypedResults.Ok(labs.Where(a => !a.Disabled).Select(a => new LabView(a.Username, string.IsNullOrWhiteSpace(a.DisplayName) ? a.Username : a.DisplayName)).ToList());
    }
}
