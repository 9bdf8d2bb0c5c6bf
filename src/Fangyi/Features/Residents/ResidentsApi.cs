using Fangyi.Core.Storage;
using Microsoft.AspNetCore.Mvc;
using System.Globalization;
using System.Text;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;

namespace Fangyi.Features.Residents;

public static class ResidentsApi
{
    public sealed record UpsertRequest(string? ClientId, string? DocType, string? IdNumber, string? Name, string? Phone, string? Division, string? Registered, string? Tags);
    // A look-up in the body: an ID number never goes in a URL, where access logs and browser history keep it.
    public sealed record SearchRequest(string? Q, long? Division, string? Tag, long? After, int? Limit);
    public sealed record ExportRequest(string? Q, long? Division, string? Tag, string? Format);
    public sealed record ImportStarted(string JobId, string StatusUrl);
    public sealed record ImportStatus(string JobId, string FileName, string State, long Processed, ImportReport? Report, string? Failure, string? ErrorReportUrl);

    public static readonly ApiProblem InvalidResident = new("resident_invalid", 400, "人员信息有误");
    public static readonly ApiProblem IdNumberInUrl = new("idnumber_in_url", 400, "证件号码不能放在网址中，请用 POST /api/v1/residents/search 查询");
    public static readonly ApiProblem IdentityUnreadable = new("identity_unreadable", 409, "该人员的证件信息无法解密，请联系系统管理员");

    public static IEndpointRouteBuilder MapResidents(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/residents").WithTags("Residents").RequireAuthorization(ResidentPolicies.Read);
        group.MapGet("/", List)
            .WithSummary("Lists the residents of the caller's jurisdiction, numbers masked, by division, name or tag, a page at a time");
        group.MapPost("/search", Search)
            .WithSummary("Lists residents matching a name or an ID number sent in the body, where no access log keeps the number");
        group.MapGet("/{id:long}", Read)
            .WithSummary("Reads one resident of the caller's jurisdiction, numbers masked; the read is audited");
        group.MapTransfers();
        group.MapGet("/{id:long}/identity", Reveal).RequireAuthorization(ResidentPolicies.Identity)
            .WithSummary("Reveals a resident's full document number and phone to an admin; the reveal is audited");
        group.MapGet("/{id:long}/audit", Audit).RequireAuthorization(ResidentPolicies.Write)
            .WithSummary("Lists who read, revealed or changed a resident, newest first, for the admins of the resident's area");
        group.MapPut("/", Upsert).RequireAuthorization(ResidentPolicies.Write)
            .WithSummary("Creates or updates one resident, merged by document number; a retry with the same clientId is one write, and a person held by another area becomes a transfer request (202)")
            .Produces<ResidentUpsertHandler.Saved>(StatusCodes.Status200OK)
            .Produces<ResidentUpsertHandler.Saved>(StatusCodes.Status201Created)
            .Produces<ResidentUpsertHandler.TransferRequested>(StatusCodes.Status202Accepted);
        group.MapGet("/export", Export).RequireAuthorization(ResidentPolicies.Write)
            .WithSummary("Exports the jurisdiction's residents (or a division's) as XLSX, or CSV with format=csv, numbers masked; the export is audited")
            .ProducesFile(MediaTypes.Xlsx, MediaTypes.Csv);
        group.MapPost("/export", (ExportRequest request, HttpContext http, Store store, DivisionDirectory divisions, KeyRing keys, AuditLog audit, CancellationToken ct) =>
            ExportAsync(request.Division, request.Q, request.Tag, request.Format, http, store, divisions, keys, audit, ct)).RequireAuthorization(ResidentPolicies.Write)
            .WithSummary("Exports residents as XLSX or CSV with the filter in the body, so a search by ID number stays out of the URL")
            .ProducesFile(MediaTypes.Xlsx, MediaTypes.Csv);
        group.MapPost("/import", Import).RequireAuthorization(ResidentPolicies.Write).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(256 * 1024 * 1024))
            .WithSummary("Starts importing residents from a CSV or XLSX file; answers at once with the job's status URL to poll");

        var imports = app.MapGroup("/api/v1/imports").WithTags("Residents").RequireAuthorization(Policies.Admin);
        imports.MapGet("/{id}", Status)
            .WithSummary("Reads the progress and the report of an import the caller started");
        imports.MapGet("/{id}/errors.csv", ErrorReport)
            .WithSummary("Downloads the rows an import refused, each with its row number, column and reason, as CSV")
            .ProducesFile(MediaTypes.Csv);
        return app;
    }

    private static async Task<Results<Ok<List<ResidentView>>, ProblemHttpResult>> List(long? division, string? q, string? tag, long? after, int? limit, HttpContext http, Store store, DivisionDirectory divisions, KeyRing keys, AuditLog audit, CancellationToken ct)
    {
        if (ResidentQueries.LooksLikeIdNumber(q))
        {
            return IdNumberInUrl.ToResult();
        }
        return await ListAsync(division, q, tag, after, limit, http, store, divisions, keys, audit, ct);
    }

    private static Task<Ok<List<ResidentView>>> Search(SearchRequest request, HttpContext http, Store store, DivisionDirectory divisions, KeyRing keys, AuditLog audit, CancellationToken ct) =>
        ListAsync(request.Division, request.Q, request.Tag, request.After, request.Limit, http, store, divisions, keys, audit, ct);

    private static async Task<Ok<List<ResidentView>>> ListAsync(long? division, string? q, string? tag, long? after, int? limit, HttpContext http, Store store, DivisionDirectory divisions, KeyRing keys, AuditLog audit, CancellationToken ct)
    {
        var filter = new ResidentQueries.Filter(division, q, tag, after ?? 0, limit ?? 50);
        var list = await ResidentQueries.ListAsync(ScopedDb.For(store, http.User), divisions.Tree, keys, filter, ct);
        await audit.WriteAsync(http, "resident.list", "resident", null, division ?? http.User.Division(), $"{list.Count} rows{(string.IsNullOrEmpty(q) ? "" : ", searched")}");
        return TypedResults.Ok(list);
    }

    private static async Task<Results<Ok<ResidentView>, ProblemHttpResult>> Read(long id, HttpContext http, Store store, DivisionDirectory divisions, AuditLog audit, CancellationToken ct)
    {
        // Outside the jurisdiction a resident does not exist: the same 404 as an unknown id.
        if (await ResidentQueries.FindAsync(ScopedDb.For(store, http.User), divisions.Tree, id, ct) is not { } resident)
        {
            return Problems.NotFound.ToResult();
        }
        await audit.WriteAsync(http, "resident.read", "resident", Id(id), resident.Division);
        return TypedResults.Ok(resident);
    }

    private static async Task<Results<Ok<ResidentIdentity>, ProblemHttpResult>> Reveal(long id, HttpContext http, Store store, KeyRing keys, AuditLog audit, CancellationToken ct)
    {
        if (!Roles.MaySeeFullIdentity(http.User.Role()))
        {
            return Problems.Forbidden.ToResult();
        }
        ResidentIdentity? identity;
        try
        {
            identity = await ResidentQueries.RevealAsync(ScopedDb.For(store, http.User), keys, id, ct);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            // Sealed for another row (copied behind the host's back) or under a key that is gone: never shown.
            await audit.WriteAsync(http, "resident.reveal_refused", "resident", Id(id), http.User.Division(), "ciphertext does not open for this row");
            return IdentityUnreadable.ToResult();
        }
        if (identity is null)
        {
            return Problems.NotFound.ToResult();
        }
        await audit.WriteAsync(http, "resident.reveal_identity", "resident", Id(id), identity.Division);
        return TypedResults.Ok(identity);
    }

    private static async Task<Results<Ok<List<AuditLog.Entry>>, ProblemHttpResult>> Audit(long id, HttpContext http, Store store, DivisionDirectory divisions, AuditLog audit, CancellationToken ct)
    {
        if (await ResidentQueries.FindAsync(ScopedDb.For(store, http.User), divisions.Tree, id, ct) is null)
        {
            return Problems.NotFound.ToResult();
        }
        return TypedResults.Ok(await audit.ForSubjectAsync("resident", Id(id), ct));
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    // Creates or updates one resident, merged by identity number. Goes through the ingest queue with the
    // client's id (or a fresh one), so a retried request is one write and gets the first answer.
    private static async Task<IResult> Upsert(UpsertRequest request, HttpContext http, DivisionDirectory divisions, KeyRing keys, IngestQueue ingest, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var input = new ResidentInput(request.DocType, request.IdNumber, request.Name, request.Phone, request.Division, request.Registered, request.Tags);
        var (resident, errors) = ResidentRules.Prepare(input, divisions.Tree, keys, http.User.Scope(), DateOnly.FromDateTime(clock.GetLocalNow().DateTime));
        if (resident is null)
        {
            var details = InvalidResident.WithDetail(string.Join("；", errors.Select(e => e.Reason))).ToDetails();
            details.Extensions["errors"] = errors;
            return TypedResults.Problem(details);
        }
        var clientId = string.IsNullOrWhiteSpace(request.ClientId) ? Guid.NewGuid().ToString("N") : request.ClientId.Trim();
        if (clientId.Length > 100)
        {
            return Problems.Validation.WithDetail("clientId 不超过100个字符").ToResult();
        }
        resident = resident with { Writer = new WriteScope(http.User.Scope(), http.User.AccountId(), RequestTransfers: true) };
        // The logged payload carries only the mask: the keyed hashes tell a retry from another person under the same id.
        var outcome = await ingest.SubmitAsync(new IngestItem(clientId, ResidentUpsertHandler.KindName, resident.Division, http.User.AccountId(), null,
            clock.GetUtcNow().ToUnixTimeMilliseconds(), resident)
        { Fingerprint = Convert.ToHexString(resident.Hash) + (resident.PhoneHash is null ? "" : Convert.ToHexString(resident.PhoneHash)) }, ct);
        if (outcome.Accepted && !outcome.Repeat && outcome.Body.TryGetProperty("id", out var id))
        {
            await audit.WriteAsync(http, "resident.write", "resident", id.GetInt64().ToString(CultureInfo.InvariantCulture), resident.Division);
        }
        else if (outcome.Accepted && !outcome.Repeat && outcome.Body.TryGetProperty("transferId", out var transfer))
        {
            await audit.WriteAsync(http, "resident.transfer_requested", "resident_transfer", transfer.GetInt64().ToString(CultureInfo.InvariantCulture), resident.Division);
        }
        return outcome.ToResult();
    }

    // Starts an import of a CSV or XLSX file; poll the status URL for progress and the error report.
    private static async Task<Results<Accepted<ImportStarted>, ProblemHttpResult>> Import(IFormFile? file, HttpContext http, Store store, DivisionDirectory divisions, KeyRing keys, ImportJobs jobs, AuditLog audit, CancellationToken ct)
    {
        if (RowIntake.IsMissing(file))
        {
            return RowIntake.FileMissing.ToResult();
        }
        var job = await StartImportAsync(file, http, store, divisions, keys, jobs, audit, ct);
        return TypedResults.Accepted($"/api/v1/imports/{job.Id}", new ImportStarted(job.Id, $"/api/v1/imports/{job.Id}"));
    }

    public static async Task<ImportJob> StartImportAsync(IFormFile file, HttpContext http, Store store, DivisionDirectory divisions, KeyRing keys, ImportJobs jobs, AuditLog audit, CancellationToken ct)
    {
        // The upload is copied to a temp file so the import outlives the request.
        var path = await RowIntake.KeepAsync(file, ct);
        var scope = http.User.Scope();
        var tree = divisions.Tree;
        var fileName = file.FileName;
        var account = http.User.AccountId();
        var counters = http.RequestServices.GetService<Core.Counters.Counters>();
        await audit.WriteAsync(http, "resident.import", "resident", null, http.User.Division(), fileName);
        return jobs.Start("residents", fileName, http.User.AccountId(), async job =>
        {
            try
            {
                return await ResidentImport.RunAsync(store, RowIntake.RowsOf(path, fileName, ImportLimits.Residents), tree, keys, scope, job.Progress, committed: counters is null ? null : counters.Record, accountId: account);
            }
            finally
            {
                File.Delete(path);
            }
        });
    }

    public static ImportStatus StatusOf(ImportJob job) => new(job.Id, job.FileName, job.State.ToString().ToLowerInvariant(), job.Processed, job.Report?.Shortened(100), job.Failure,
        job.Report is { Errors.Count: > 0 } ? $"/api/v1/imports/{job.Id}/errors.csv" : null);

    private static Results<Ok<ImportStatus>, ProblemHttpResult> Status(string id, HttpContext http, ImportJobs jobs) =>
        jobs.Find(id, http.User.AccountId()) is { } job ? TypedResults.Ok(StatusOf(job)) : Problems.NotFound.ToResult();

    private static Results<FileContentHttpResult, ProblemHttpResult> ErrorReport(string id, HttpContext http, ImportJobs jobs) =>
        jobs.Find(id, http.User.AccountId()) is { Report: { } report }
            ? TypedResults.File(report.ErrorsCsv(), "text/csv; charset=utf-8", $"import-errors-{id}.csv")
            : Problems.NotFound.ToResult();

    // Residents of the jurisdiction (or a division inside it) as XLSX or CSV, identity numbers masked.
    private static async Task<IResult> Export(long? division, string? q, string? tag, string? format, HttpContext http, Store store, DivisionDirectory divisions, KeyRing keys, AuditLog audit, CancellationToken ct)
    {
        if (ResidentQueries.LooksLikeIdNumber(q))
        {
            return IdNumberInUrl.ToResult();
        }
        await ExportAsync(division, q, tag, format, http, store, divisions, keys, audit, ct);
        return Results.Empty;
    }

    private static async Task ExportAsync(long? division, string? q, string? tag, string? format, HttpContext http, Store store, DivisionDirectory divisions, KeyRing keys, AuditLog audit, CancellationToken ct)
    {
        var filter = new ResidentQueries.Filter(division, q, tag);
        var rows = ResidentQueries.StreamAsync(ScopedDb.For(store, http.User), divisions.Tree, keys, filter, ct);
        await audit.WriteAsync(http, "resident.export", "resident", null, division ?? http.User.Division(), format ?? "xlsx");
        var stamp = DateTime.Now.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture);
        if (format == "csv")
        {
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=residents-{stamp}.csv";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(true));
            await writer.WriteLineAsync("证件类型,证件号码,姓名,性别,手机号,区划代码,居住地,户籍类型,标签");
            await foreach (var r in rows)
            {
                await writer.WriteLineAsync(string.Join(',', ExportCells(r).Select(c => Csv.Escape(Convert.ToString(c, CultureInfo.InvariantCulture) ?? ""))));
            }
            return;
        }
        http.Response.ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        http.Response.Headers.ContentDisposition = $"attachment; filename=residents-{stamp}.xlsx";
        // MiniExcel writes synchronously; buffer the sheet in memory, then send it.
        var list = new List<Dictionary<string, object>>();
        await foreach (var r in rows)
        {
            var cells = ExportCells(r);
            list.Add(Core.Imports.SafeCell.Row(new Dictionary<string, object>
            {
                ["证件类型"] = cells[0], ["证件号码"] = cells[1], ["姓名"] = cells[2], ["性别"] = cells[3],
                ["手机号"] = cells[4], ["区划代码"] = cells[5], ["居住地"] = cells[6], ["户籍类型"] = cells[7], ["标签"] = cells[8],
            }));
        }
        using var buffer = new MemoryStream();
        await buffer.SaveAsAsync(list, cancellationToken: ct);
        buffer.Position = 0;
        await buffer.CopyToAsync(http.Response.Body, ct);
    }

    private static object[] ExportCells(ResidentView r) =>
    [
        DocTypes.Names.GetValueOrDefault(r.DocType, r.DocType), r.IdMasked, r.Name, r.Gender switch { "M" => "男", "F" => "女", _ => "" },
        r.PhoneMasked ?? "", r.Division.ToString(CultureInfo.InvariantCulture), r.DivisionPath,
        r.Registered ? ResidentRules.RegisteredTag : ResidentRules.FloatingTag, string.Join('、', r.Tags),
    ];
}
