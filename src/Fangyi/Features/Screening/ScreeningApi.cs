using System.Globalization;
using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Screening;

// The to-be-screened pool over HTTP: pushes and door-to-door findings in; each level's pool, a case with its entries
// and history; the worker's steps (verify, decide), handovers between jurisdictions, assignment from the unassigned
// queue, identification of a provisional case; the rules in force.
public static class ScreeningApi
{
    public sealed record CaseView(long Id, long? ResidentId, string Name, string? IdMasked, string? PhoneMasked, string? Address, long Division, string DivisionName,
        string Route, string RouteName, double Confidence, string? Corrected, string State, string StateName, bool High, long DueAt, bool Overdue, int Entries,
        IReadOnlyList<string> Sources, string? Category, string? CategoryName, long? HoldUntil, long? MonitorUntil, long? HandoverTo, string? HandoverToName,
        bool Provisional, long CreatedAt, long UpdatedAt);

    public sealed record EntryView(string Source, string SourceName, string Reason, string? Payload, long At);

    public sealed record StepView(string Kind, string KindName, string? Detail, string? From, string? To, long At);

    public sealed record CaseDetail(CaseView Case, string? Name, string? Phone, string? Whereabouts, IReadOnlyList<string> Tags, string? PolicyVersion, string? ClearedReason,
        IReadOnlyList<EntryView> Entries, IReadOnlyList<StepView> Steps);

    public sealed record StepRequest(string? ClientId, bool? Reached, string? Method, string? Whereabouts, IReadOnlyList<string>? Tags, string? Note,
        string? Category, string? ClearReason, long? ToDivision, string? IdNumber);

    public sealed record DoorRequest(string? ClientId, string? IdNumber, string? Phone, string? Name, string? Address, string? Reason, string? Note);

    public sealed record PoolCount(string Key, string Name, long Count);

    public sealed record PoolSummary(long Division, string Path, IReadOnlyList<PoolCount> States, IReadOnlyList<PoolCount> Sources, long Overdue, long Unassigned, long HandedToUs);

    public sealed record PolicyView(string Version, ScreeningPolicy Policy);

    private static readonly (string Path, string Kind, string Summary)[] Steps =
    [
        ("verify", ScreeningKinds.Verify, "Records an attempt to reach the person (call or visit), where they are now, tags and a note"),
        ("decide", ScreeningKinds.Decide, "Decides a case under the rules in force: a category (close contact, home isolation, monitoring, cleared with a reason); places the hold and opens the tasks the rules give"),
        ("handover", ScreeningKinds.Handover, "Hands a case to another jurisdiction (the person lives elsewhere); it stays here until the other side accepts"),
        ("accept", ScreeningKinds.Accept, "Accepts a case handed to the caller's jurisdiction, optionally straight to one of its villages"),
        ("assign", ScreeningKinds.Assign, "Assigns a case from the unassigned queue (or another village) to a village of the caller's jurisdiction"),
        ("identify", ScreeningKinds.Identify, "Gives a provisional case its ID number: linked to the registry, or merged into the person's existing case (audited)"),
    ];

    public static IEndpointRouteBuilder MapScreening(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/screening").WithTags("Screening").RequireAuthorization(ScreeningPolicies.Work);
        api.MapPost("/pushes", PushRows).RequireAuthorization(ScreeningPolicies.Push)
            .WithSummary("A big-data push of up to 1,000 people (ID number, phone, name, address) with a reason, a window and a place: one case per person, routed down the tree; per-row errors");
        api.MapPost("/pushes/import", PushFile).RequireAuthorization(ScreeningPolicies.Push).DisableAntiforgery()
            .WithSummary("A push as a CSV or XLSX file (columns: ID number, phone, name, address), up to two million rows, imported off the request; poll the status URL for progress and per-row errors");
        api.MapPost("/door", Door)
            .WithSummary("A person found door to door by a village worker: one case per person, in the worker's village unless the registry knows better")
            .Produces<FindingsLanded>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/cases", List)
            .WithSummary("The pool of the caller's jurisdiction or a division in it: by state, source, overdue, unassigned, or handed to the caller; overdue first; names and numbers masked");
        api.MapGet("/cases/{id:long}", Get)
            .WithSummary("One case with every source entry and step; the name and phone to call the person; audited");
        // The steps on one case share one handler; each differs only in its kind and what it does.
        foreach (var (path, kind, summary) in Steps)
        {
            api.MapPost("/cases/{id:long}/" + path, (long id, StepRequest r, HttpContext h, IngestQueue q, ScreeningIntake i, TimeProvider c, CancellationToken ct) => Step(kind, id, r, h, q, i, c, ct))
                .WithSummary(summary)
                .Produces<CaseChanged>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        }
        api.MapGet("/summary", Summary)
            .WithSummary("The pool of a division in numbers: per state and source, overdue, unassigned and handed to it");
        api.MapGet("/policy", (ScreeningRules rules) => TypedResults.Ok(new PolicyView(rules.Current.Version, rules.Current)))
            .WithSummary("The screening rules in force (versioned JSON)");
        api.MapPost("/policy", PublishPolicy).RequireAuthorization(ScreeningPolicies.Rules)
            .WithSummary("Publishes a new version of the screening rules; decisions name the version they were taken under")
            .Produces<PolicyView>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    // ---- sources ---------------------------------------------------------------------------------------------------

    private static async Task<Results<Ok<PushLanded>, Created<PushLanded>, ProblemHttpResult>> PushRows(PushRequest request, HttpContext http, Store store, IngestQueue ingest,
        ScreeningIntake intake, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var (push, problem) = Check(request.Reason, request.High, request.WindowFrom, request.WindowTo, request.Place, request.Source);
        if (problem is not null)
        {
            return problem.ToResult();
        }
        if (request.Rows is not { Count: > 0 } rows || rows.Count > 1000)
        {
            return (request.Rows is { Count: > 1000 } ? ScreeningProblems.TooManyRows : ScreeningProblems.FindingInvalid).ToResult();
        }
        var user = http.User;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var pushId = await PushImport.OpenAsync(store, push!, user.Division(), user.AccountId(), now, ct);
        var landed = await PushImport.RunAsync(store, ingest, intake, pushId, push!, rows.Select((r, i) => (i + 1, r)), user.Scope(), user.Division(), user.AccountId(), clock, ct: ct);
        await audit.WriteAsync(http, "screening.push", "screening_push", pushId.ToString(CultureInfo.InvariantCulture), user.Division(), $"{push!.Reason}, {landed.Total} rows");
        return landed.Created > 0 ? TypedResults.Created($"/api/v1/screening/cases?source={push.Source}", landed) : TypedResults.Ok(landed);
    }

    internal static async Task<Results<Accepted<ResidentsApi.ImportStarted>, ProblemHttpResult>> PushFile(IFormFile? file, [Microsoft.AspNetCore.Mvc.FromForm] string? reason, [Microsoft.AspNetCore.Mvc.FromForm] bool? high,
        [Microsoft.AspNetCore.Mvc.FromForm] string? place, [Microsoft.AspNetCore.Mvc.FromForm] string? source, HttpContext http, Store store, IngestQueue ingest, ScreeningIntake intake, ImportJobs jobs,
        TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        if (RowIntake.IsMissing(file))
        {
            return RowIntake.FileMissing.ToResult();
        }
        var (push, problem) = Check(reason, high, null, null, place, source);
        if (problem is not null)
        {
            return problem.ToResult();
        }
        var path = await RowIntake.KeepAsync(file, ct);
        var user = http.User;
        var (scope, division, account, fileName) = (user.Scope(), user.Division(), user.AccountId(), file.FileName);
        var pushId = await PushImport.OpenAsync(store, push!, division, account, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        await audit.WriteAsync(http, "screening.push", "screening_push", pushId.ToString(CultureInfo.InvariantCulture), division, fileName);
        var job = jobs.Start("screening push", fileName, account, async job =>
        {
            try
            {
                var landed = await PushImport.RunAsync(store, ingest, intake, pushId, push!,
                    RowIntake.RowsOf(path, fileName, ImportLimits.Pushes).Select(r => (r.Number, PushImport.ToRow(r))), scope, division, account, clock, job.Progress);
                return new ImportReport(landed.Total, landed.Created, landed.Known, landed.Repeated, landed.Errors);
            }
            finally
            {
                File.Delete(path);
            }
        });
        return TypedResults.Accepted($"/api/v1/imports/{job.Id}", new ResidentsApi.ImportStarted(job.Id, $"/api/v1/imports/{job.Id}"));
    }

    private static (PushImport.Push? Push, ApiProblem? Problem) Check(string? reason, bool? high, long? from, long? to, string? place, string? source)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 50)
        {
            return (null, ScreeningProblems.ReasonMissing);
        }
        source ??= ScreeningSources.Push;
        if (source is not (ScreeningSources.Push or ScreeningSources.Arrival or ScreeningSources.Contact) || place is { Length: > 100 } || (from is { } f && to is { } t && t < f))
        {
            return (null, Problems.Validation.WithDetail("来源只能是大数据推送、风险地区来返或场所追踪；地点100字以内；时间段须先起后止"));
        }
        return (new PushImport.Push(source, reason, high == true, from, to, place?.Trim()), null);
    }

    private static async Task<IResult> Door(DoorRequest request, HttpContext http, IngestQueue ingest, ScreeningIntake intake, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId) || request.ClientId.Length > 100)
        {
            return Problems.Validation.WithDetail("缺少操作编号 clientId").ToResult();
        }
        if (request.Note is { Length: > 200 })
        {
            return ScreeningProblems.NoteTooLong.ToResult();
        }
        var user = http.User;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var reason = request.Reason?.Trim() is { Length: > 0 and <= 50 } r ? r : "基层排查";
        // The ref is the worker's own client id: the same entry sent again from the phone's queue is one entry.
        var prepared = intake.Prepare(new PersonRow(request.IdNumber, request.Phone, request.Name, request.Address), ScreeningSources.Door,
            "a" + user.AccountId().ToString(CultureInfo.InvariantCulture) + ":" + request.ClientId.Trim(), reason, now,
            payload: request.Note is null ? null : System.Text.Json.JsonSerializer.Serialize(new { note = request.Note }));
        if (prepared.Finding is not { } finding)
        {
            return ScreeningProblems.FindingInvalid.WithDetail(prepared.Column + "：" + prepared.Reason).ToResult();
        }
        var outcome = await ingest.SubmitAsync(new IngestItem(request.ClientId.Trim(), ScreeningKinds.Findings, user.Division(), user.AccountId(), null, now,
            new FindingsWrite([finding], user.Scope()))
        {
            Fingerprint = finding.IdHashes.Count > 0 ? Convert.ToHexString(finding.IdHashes[0]) : finding.PhoneHashes.Count > 0 ? Convert.ToHexString(finding.PhoneHashes[0]) : null,
        }, ct);
        return outcome.ToResult();
    }

    // ---- steps -----------------------------------------------------------------------------------------------------

    // The steps the audit log keeps (who decided, handed over, accepted or identified whom); verifying is in the case's history.
    private static Task AuditAsync(AuditLog audit, HttpContext http, string kind, string subject, long division, string? detail) => kind switch
    {
        ScreeningKinds.Decide => audit.WriteAsync(http, "screening.decide", "screening_case", subject, division, detail),
        ScreeningKinds.Handover => audit.WriteAsync(http, "screening.handover", "screening_case", subject, division, detail),
        ScreeningKinds.Accept => audit.WriteAsync(http, "screening.accept", "screening_case", subject, division, detail),
        ScreeningKinds.Identify => audit.WriteAsync(http, "screening.identify", "screening_case", subject, division, detail),
        _ => Task.CompletedTask,
    };

    private static async Task<IResult> Step(string kind, long id, StepRequest request, HttpContext http, IngestQueue ingest, ScreeningIntake intake, TimeProvider clock, CancellationToken ct)
    {
        var (outcome, problem) = await SubmitStepAsync(kind, id, request, http, ingest, intake, clock, ct);
        return problem is not null ? problem.ToResult() : outcome!.ToResult();
    }

    /// <summary>A step on a case as the API and the console's case page send it: checked, queued, audited when it changed something.</summary>
    internal static async Task<(IngestOutcome? Outcome, ApiProblem? Problem)> SubmitStepAsync(string kind, long id, StepRequest request, HttpContext http, IngestQueue ingest,
        ScreeningIntake intake, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId) || request.ClientId.Length > 100)
        {
            return (null, Problems.Validation.WithDetail("缺少操作编号 clientId"));
        }
        var user = http.User;
        var action = new CaseAction
        {
            CaseId = id,
            Scope = user.Scope(),
            AccountId = user.AccountId(),
            Reached = request.Reached,
            Method = request.Method is "call" or "visit" ? request.Method : null,
            Whereabouts = request.Whereabouts?.Trim() is { Length: > 0 and <= 100 } w ? w : null,
            Tags = (request.Tags ?? []).Select(t => t.Trim()).Where(t => t.Length is > 0 and <= 20).Distinct().Take(10).ToList(),
            Note = request.Note?.Trim() is { Length: > 0 } n ? n : null,
            Category = request.Category,
            ClearReason = request.ClearReason,
            ToDivision = request.ToDivision,
        };
        string? fingerprint = null;
        if (kind == ScreeningKinds.Identify)
        {
            var prepared = intake.Prepare(new PersonRow(request.IdNumber, null, null, null), "", "", "", 0);
            if (prepared.Finding is not { IdHashes.Count: > 0 } finding)
            {
                return (null, ScreeningProblems.FindingInvalid.WithDetail(prepared.Reason ?? "请填写身份证号"));
            }
            action = action with { IdHashes = finding.IdHashes, IdCipher = finding.IdCipher, IdMasked = finding.IdMasked, KeyId = finding.KeyId };
            fingerprint = Convert.ToHexString(finding.IdHashes[0]);
        }
        var outcome = await ingest.SubmitAsync(new IngestItem(request.ClientId.Trim(), kind, user.Division(), user.AccountId(), null, clock.GetUtcNow().ToUnixTimeMilliseconds(), action)
        {
            Subject = "case:" + id.ToString(CultureInfo.InvariantCulture),
            Fingerprint = fingerprint,
        }, ct);
        if (outcome.Accepted && !outcome.Repeat)
        {
            await AuditAsync(http.RequestServices.GetRequiredService<AuditLog>(), http, kind, id.ToString(CultureInfo.InvariantCulture), user.Division(),
                request.Category ?? request.ToDivision?.ToString(CultureInfo.InvariantCulture));
        }
        return (outcome, null);
    }

    // ---- reads -----------------------------------------------------------------------------------------------------

    internal static async Task<Results<Ok<List<CaseView>>, ProblemHttpResult>> List(long? division, string? state, string? source, bool? overdue, bool? unassigned, bool? handedToUs, int? limit,
        HttpContext http, Store store, ResidentLookups residents, DivisionDirectory divisions, ScreeningRules rules, TimeProvider clock, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var code = division ?? db.Scope.Root;
        if (!db.Scope.Contains(code) || (state is not null && state is not ("live" or "all") && !CaseStates.Names.ContainsKey(state)) || (source is not null && !ScreeningSources.Names.ContainsKey(source)))
        {
            return (db.Scope.Contains(code) ? Problems.Validation : ScreeningProblems.CaseUnknown).ToResult();
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = await ScreeningPool.ListAsync(db, new ScreeningPool.Filter(Scope.Of(code), state ?? "live", source, overdue == true ? now : null, unassigned == true, handedToUs == true, Math.Clamp(limit ?? 2000, 1, 5000)), ct);
        return TypedResults.Ok(await ViewsAsync(rows, store, residents, divisions, rules, now, ct));
    }

    internal static async Task<List<CaseView>> ViewsAsync(IReadOnlyList<CaseRow> rows, Store store, ResidentLookups residents, DivisionDirectory divisions, ScreeningRules rules, long now, CancellationToken ct)
    {
        var names = await residents.NamesAsync(rows.Where(r => r.ResidentId is not null).Select(r => r.ResidentId!.Value).ToList(), ct);
        var sources = await ScreeningPool.SourcesAsync(store, rows.Select(r => r.Id).ToList(), ct);
        var tree = divisions.Tree;
        return rows.Select(r =>
        {
            var person = r.ResidentId is { } rid ? names.GetValueOrDefault(rid) : null;
            var name = person is not null ? Masks.Name(person.Name) : r.Name is { } n ? Masks.Name(n) : "（未知姓名）";
            return new CaseView(r.Id, r.ResidentId, name, person?.IdMasked ?? r.IdMasked, r.PhoneMasked, r.Address, r.Division, tree.PathName(r.Division),
                r.Route, CaseRoute.Names.GetValueOrDefault(r.Route, r.Route), r.Confidence, r.Corrected, r.State, CaseStates.Names.GetValueOrDefault(r.State, r.State),
                r.Priority > 0, r.DueAt, r.State == CaseStates.Open && now >= r.DueAt, r.Entries, sources.GetValueOrDefault(r.Id) ?? [],
                r.Category, r.Category is null ? null : rules.Current.Categories.GetValueOrDefault(r.Category)?.Name ?? r.Category, r.HoldUntil, r.MonitorUntil, r.HandoverTo, r.HandoverTo is { } h ? tree.PathName(h) : null,
                r.ResidentId is null && r.IdHash is null, r.CreatedAt, r.UpdatedAt);
        }).ToList();
    }

    internal static async Task<Results<Ok<CaseDetail>, ProblemHttpResult>> Get(long id, HttpContext http, Store store, ResidentLookups residents, DivisionDirectory divisions, KeyRing keys,
        ScreeningRules rules, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var row = await ScreeningPool.FindAsync(db, id, ct);
        if (row is null)
        {
            return ScreeningProblems.CaseUnknown.ToResult();
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var view = (await ViewsAsync([row], store, residents, divisions, rules, now, ct))[0];
        if (row.Category is { } category && (await rules.VersionAsync(row.PolicyVersion ?? "", ct))?.Categories.GetValueOrDefault(category) is { } named)
        {
            view = view with { CategoryName = named.Name };
        }
        string? name = row.Name, phone = null;
        if (row.ResidentId is { } resident && (await residents.ContactsAsync(keys, [resident], ct)).GetValueOrDefault(resident) is { } contact)
        {
            (name, phone) = (contact.Name, contact.Phone);
        }
        else if (row.PhoneCipher is { } cipher && (row.IdHash ?? await ScreeningPool.PhoneHashAsync(store, row.Id, ct)) is { } binding)
        {
            phone = keys.Decrypt(cipher, KeyRing.Binding("phone", binding));
        }
        var (entries, steps) = await ScreeningPool.HistoryAsync(store, row.Id, ct);
        var tree = divisions.Tree;
        await audit.WriteAsync(http, "screening.case_read", "screening_case", id.ToString(CultureInfo.InvariantCulture), row.Division);
        return TypedResults.Ok(new CaseDetail(view, name, phone, row.Whereabouts, row.Tags?.Split(',') ?? [], row.PolicyVersion, row.ClearedReason,
            entries.Select(e => new EntryView(e.Source, ScreeningSources.Names.GetValueOrDefault(e.Source, e.Source), e.Reason, e.Payload, e.At)).ToList(),
            steps.Select(s => new StepView(s.Kind, ScreeningKinds.StepNames.GetValueOrDefault(s.Kind, s.Kind), s.Detail, s.FromDivision is { } f ? tree.PathName(f) : null,
                s.ToDivision is { } t ? tree.PathName(t) : null, s.At)).ToList()));
    }

    internal static async Task<Results<Ok<PoolSummary>, ProblemHttpResult>> Summary(long? division, HttpContext http, Store store, DivisionDirectory divisions, TimeProvider clock, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var code = division ?? db.Scope.Root;
        if (!db.Scope.Contains(code))
        {
            return ScreeningProblems.CaseUnknown.ToResult();
        }
        var counts = await ScreeningPool.CountAsync(db, Scope.Of(code), clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        return TypedResults.Ok(new PoolSummary(code, divisions.Tree.PathName(code),
            CaseStates.Names.Where(s => s.Key != CaseStates.Merged).Select(s => new PoolCount(s.Key, s.Value, counts.States.GetValueOrDefault(s.Key))).ToList(),
            ScreeningSources.Names.Select(s => new PoolCount(s.Key, s.Value, counts.Sources.GetValueOrDefault(s.Key))).ToList(),
            counts.Overdue, counts.Unassigned, counts.HandedToUs));
    }

    private static async Task<IResult> PublishPolicy(HttpContext http, ScreeningRules rules, AuditLog audit, CancellationToken ct)
    {
        using var reader = new StreamReader(http.Request.Body);
        var text = await reader.ReadToEndAsync(ct);
        var (policy, problem, conflict) = await rules.PublishAsync(text, http.User.AccountId(), ct);
        if (policy is null)
        {
            return (conflict ? ScreeningProblems.PolicyVersionTaken : ScreeningProblems.PolicyInvalid.WithDetail(problem!)).ToResult();
        }
        await audit.WriteAsync(http, "screening.policy", "screening_policy", policy.Version, http.User.Division());
        return TypedResults.Ok(new PolicyView(policy.Version, policy));
    }
}
