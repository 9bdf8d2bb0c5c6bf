using Fangyi.Features.Accounts;
using Fangyi.Core.Storage;
using System.Globalization;
using Dapper;
using Fangyi.Core.Http;
using Fangyi.Core.Imports;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fangyi.Features.Sampling;

public static class SamplingApi
{
    public sealed record RoundRequest(string? Name, long Division, DateTimeOffset StartsAt, DateTimeOffset EndsAt, int? RatioLow, int? RatioMedium, int? RatioHigh);
    public sealed record RoundView
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public long Division { get; init; }
        public long StartsAt { get; init; }
        public long EndsAt { get; init; }
        public long RatioLow { get; init; }
        public long RatioMedium { get; init; }
        public long RatioHigh { get; init; }
        public long? RetiredAt { get; init; }
    }
    public sealed record SiteRequest(string? Name, long Division, string? Address);
    public sealed record SiteView
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public long Division { get; init; }
        public string Address { get; init; } = "";
        public long? RetiredAt { get; init; }
    }
    public sealed record TeamRequest(string? Name, IReadOnlyList<string>? Members);
    public sealed record TeamView(long Id, long SiteId, string Name, IReadOnlyList<string> Members);
    public sealed record CodeBatchRequest(string? Type, int Count, string? Title);
    public sealed record ResultRow(string? Tube, string? Result, double? Ct);

    public static readonly ApiProblem RatioInvalid = new("ratio_invalid", 400, "混采比例只能是1、5、10或20");
    public static readonly ApiProblem TimesInvalid = new("round_times_invalid", 400, "结束时间须晚于开始时间");
    public static readonly ApiProblem NameMissing = new("name_missing", 400, "请填写名称");
    public static readonly ApiProblem CountInvalid = new("count_invalid", 400, "每批条码数量为1至100000");
    public static readonly ApiProblem MemberUnknown = new("member_unknown", 400, "采样队成员须是本辖区的采样员账号");
    public static readonly ApiProblem ResultRowMissing = new("result_row_missing", 400, "检测结果中有空行");
    public static readonly ApiProblem CtInvalid = new("ct_invalid", 400, "CT值应为 0 至 60 之间的数字");

    private const double MaxCt = 60;

    // The handlers below are internal rather than private: the console pages call them, so a page and the API
    // apply one set of rules and answer with the same problems.
    public static IEndpointRouteBuilder MapSampling(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/v1/sampling").WithTags("Sampling").RequireAuthorization(SamplingPolicies.Manage);
        admin.MapPost("/rounds", CreateRound)
            .WithSummary("Opens a sampling round for a division of the caller's jurisdiction, with its times and pooling ratios per risk level");
        admin.MapPost("/sites", CreateSite)
            .WithSummary("Opens a sampling site in a township or village of the caller's jurisdiction");
        admin.MapPost("/sites/{id:long}/teams", CreateTeam)
            .WithSummary("Forms a team of the jurisdiction's samplers at a site");
        admin.MapPost("/codes", IssueCodes)
            .WithSummary("Issues a batch of tube or box codes to the caller's division, to be printed as labels");

        var staff = app.MapGroup("/api/v1/sampling").WithTags("Sampling").RequireAuthorization(SamplingPolicies.Read);
        staff.MapGet("/rounds", ListRounds)
            .WithSummary("Lists the rounds that concern the caller's jurisdiction (a village sees the county's round), latest first");
        staff.MapGet("/sites", ListSites)
            .WithSummary("Lists the sites the caller can work at: those of the jurisdiction and those of the caller's teams");
        var custody = app.MapGroup("/api/v1/sampling").WithTags("Sampling").RequireAuthorization(SamplingPolicies.Custody);
        custody.MapGet("/boxes/{code}/history", BoxHistoryAsync)
            .WithSummary("Follows a box through custody for the sampling chain: its state, its tubes, every scan on them and, for admins, who was sampled");
        custody.MapGet("/tubes/{code}/history", TubeHistoryAsync)
            .WithSummary("Follows a tube through custody for the sampling chain: its state and result, every scan on it and its box and, for admins, who is in it");

        var scans = app.MapGroup("/api/v1/scans").WithTags("Sampling").RequireAuthorization(SamplingPolicies.Custody);
        // The answer is written as the ingest stored it (a retry gets the first answer byte for byte), so its
        // shapes are declared here: which one depends on the action.
        scans.MapPost("/", Scan)
            .WithSummary("Registers one scan from a sampler, courier or lab phone (open, add a person, seal, pick up, hand over, receive, result); a retry with the same clientId gets the first answer")
            .ProducesOneOf(StatusCodes.Status200OK, typeof(BoxView), typeof(TubeView), typeof(TubeResultView))
            .ProducesOneOf(StatusCodes.Status201Created, typeof(BoxView), typeof(TubeView), typeof(PersonAdded));
        scans.MapPost("/batch", ScanBatch)
            .WithSummary("Registers up to 500 scans a phone queued offline, in order; each gets its own answer (status and body), once per clientId");

        var lab = app.MapGroup("/api/v1/lab").WithTags("Sampling").RequireAuthorization(SamplingPolicies.LabResults);
        lab.MapPost("/results", UploadResults)
            .WithSummary("Records a lab's results per tube (negative, positive or invalid, with an optional Ct); each row gets its own outcome");
        lab.MapPost("/results/import", ImportResults).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(64 * 1024 * 1024))
            .WithSummary("Records a lab's results from a CSV or XLSX sheet (tube, result, Ct); each row gets its own outcome");
        return app;
    }

    private static bool ValidRatio(int? ratio) => ratio is null or 1 or 5 or 10 or 20;

    /// <summary>A round by id, for other features (the dashboard names the round it shows).</summary>
    public static async Task<RoundView?> FindRoundAsync(Store store, long id, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<RoundView>(new CommandDefinition(
            "SELECT id, name, division, starts_at AS StartsAt, ends_at AS EndsAt, ratio_low AS RatioLow, ratio_medium AS RatioMedium, ratio_high AS RatioHigh FROM rounds WHERE id = @id",
            new { id }, cancellationToken: ct));
    }

    /// <summary>Does a round concern an account's jurisdiction: the round's area holds it, or it holds the round's area.</summary>
    public static bool Concerns(RoundView round, Scope scope) => Scope.Of(round.Division).Contains(scope) || scope.Contains(round.Division);

    internal static async Task<Results<Created<RoundView>, ProblemHttpResult>> CreateRound(RoundRequest request, HttpContext http, Store store, DivisionDirectory divisions, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return NameMissing.ToResult();
        }
        if (divisions.Tree.Find(request.Division) is null)
        {
            return AccountsApi.UnknownDivision.ToResult();
        }
        if (!http.User.Scope().Contains(request.Division))
        {
            return Problems.OutsideJurisdiction.ToResult();
        }
        if (request.EndsAt <= request.StartsAt)
        {
            return TimesInvalid.ToResult();
        }
        if (!ValidRatio(request.RatioLow) || !ValidRatio(request.RatioMedium) || !ValidRatio(request.RatioHigh))
        {
            return RatioInvalid.ToResult();
        }
        await using var connection = await store.OpenAsync(ct);
        var round = await connection.QuerySingleAsync<RoundView>(new CommandDefinition(
            """
            INSERT INTO rounds (name, division, starts_at, ends_at, ratio_low, ratio_medium, ratio_high, created_at)
            VALUES (@name, @division, @starts, @ends, @low, @medium, @high, @now)
            RETURNING id, name, division, starts_at AS StartsAt, ends_at AS EndsAt, ratio_low AS RatioLow, ratio_medium AS RatioMedium, ratio_high AS RatioHigh
            """,
            new
            {
                name = request.Name.Trim(), division = request.Division, starts = request.StartsAt.ToUnixTimeMilliseconds(), ends = request.EndsAt.ToUnixTimeMilliseconds(),
                low = request.RatioLow ?? 10, medium = request.RatioMedium ?? 5, high = request.RatioHigh ?? 1, now = clock.GetUtcNow().ToUnixTimeMilliseconds(),
            }, cancellationToken: ct));
        return TypedResults.Created($"/api/v1/sampling/rounds/{round.Id}", round);
    }

    // Rounds whose scope overlaps the account's: a village sampler sees the city-wide round.
    internal static async Task<Ok<List<RoundView>>> ListRounds(HttpContext http, Store store, CancellationToken ct) =>
        TypedResults.Ok(await RoundsConcerningAsync(http.User, store, ct));

    /// <summary>The rounds whose scope overlaps the account's, newest first, retired ones included (marked).</summary>
    public static async Task<List<RoundView>> RoundsConcerningAsync(System.Security.Claims.ClaimsPrincipal user, Store store, CancellationToken ct)
    {
        var scope = user.Scope();
        await using var connection = await store.OpenAsync(ct);
        var rounds = await connection.QueryAsync<RoundView>(new CommandDefinition(
            "SELECT id, name, division, starts_at AS StartsAt, ends_at AS EndsAt, ratio_low AS RatioLow, ratio_medium AS RatioMedium, ratio_high AS RatioHigh, retired_at AS RetiredAt FROM rounds ORDER BY starts_at DESC",
            cancellationToken: ct));
        return rounds.Where(r => Concerns(r, scope)).ToList();
    }

    internal static async Task<Results<Created<SiteView>, ProblemHttpResult>> CreateSite(SiteRequest request, HttpContext http, Store store, DivisionDirectory divisions, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return NameMissing.ToResult();
        }
        if (divisions.Tree.Find(request.Division) is not { Level: DivisionLevel.Village or DivisionLevel.Township })
        {
            return AccountsApi.UnknownDivision.WithDetail("采样点须设在乡镇（街道）或村（社区）").ToResult();
        }
        if (!http.User.Scope().Contains(request.Division))
        {
            return Problems.OutsideJurisdiction.ToResult();
        }
        if (await SetupEdits.SiteNameTakenAsync(store, request.Division, request.Name.Trim(), null, ct))
        {
            return SetupEdits.SiteNameTaken.ToResult();
        }
        await using var connection = await store.OpenAsync(ct);
        var site = await connection.QuerySingleAsync<SiteView>(new CommandDefinition(
            "INSERT INTO sites (name, division, address, created_at) VALUES (@name, @division, @address, @now) RETURNING id, name, division, address",
            new { name = request.Name.Trim(), division = request.Division, address = request.Address?.Trim() ?? "", now = clock.GetUtcNow().ToUnixTimeMilliseconds() },
            cancellationToken: ct));
        return TypedResults.Created($"/api/v1/sampling/sites/{site.Id}", site);
    }

    // Sites a sampler can work at: those in the jurisdiction and those of the teams they belong to.
    internal static async Task<Ok<List<SiteView>>> ListSites(HttpContext http, Store store, CancellationToken ct) =>
        TypedResults.Ok(await SitesAsync(http, store, retired: false, ct));

    // The console also lists retired sites (marked); the samplers' list has only live ones.
    internal static Task<List<SiteView>> SitesAsync(HttpContext http, Store store, bool retired, CancellationToken ct) =>
        ScopedDb.For(store, http.User).QueryAsync<SiteView>(
            """
            SELECT id, name, division, address, retired_at AS RetiredAt FROM sites WHERE {scope:division} AND (retired_at IS NULL OR @retired)
            UNION
            SELECT s.id, s.name, s.division, s.address, s.retired_at FROM sites s JOIN teams t ON t.site_id = s.id JOIN team_members m ON m.team_id = t.id
            WHERE m.account_id = @account AND s.retired_at IS NULL AND t.retired_at IS NULL
            ORDER BY id
            """, new { account = http.User.AccountId(), retired }, ct);

    internal static async Task<Results<Created<TeamView>, ProblemHttpResult>> CreateTeam(long id, TeamRequest request, HttpContext http, Store store, AccountService accounts, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        if (await db.QuerySingleOrDefaultAsync<SiteView>("SELECT id, name, division, address FROM sites WHERE id = @id AND retired_at IS NULL AND {scope:division}", new { id }, ct) is not { } site)
        {
            return Problems.NotFound.ToResult();
        }
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            return NameMissing.ToResult();
        }
        var members = new List<Account>();
        foreach (var name in request.Members ?? [])
        {
            if (await accounts.FindAsync(name, ct) is not { Role: Roles.Sampler } member || !db.Scope.Contains(member.Division))
            {
                return MemberUnknown.WithDetail(name).ToResult();
            }
            members.Add(member);
        }
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var teamId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO teams (site_id, name, division) VALUES (@site, @name, @division) RETURNING id", new { site = site.Id, name = request.Name.Trim(), division = site.Division }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO team_members (team_id, account_id) VALUES (@teamId, @Id)", members.Select(m => new { teamId, m.Id }), tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/sampling/sites/{site.Id}/teams/{teamId}", new TeamView(teamId, site.Id, request.Name.Trim(), members.Select(m => m.Username).ToList()));
    }

    internal static async Task<Results<Created<IssuedCodes.Batch>, ProblemHttpResult>> IssueCodes(CodeBatchRequest request, HttpContext http, IssuedCodes issued, DivisionDirectory divisions, CancellationToken ct)
    {
        var type = request.Type?.Trim().ToLowerInvariant() switch { "tube" or "试管" => CodeType.Tube, "box" or "转运箱" => CodeType.Box, _ => (CodeType?)null };
        if (type is null)
        {
            return Problems.Validation.WithDetail("type 应为 tube 或 box").ToResult();
        }
        if (request.Count is < 1 or > 100_000)
        {
            return CountInvalid.ToResult();
        }
        var division = http.User.Division();
        var title = string.IsNullOrWhiteSpace(request.Title) ? $"{divisions.Tree.PathName(division)} {(type == CodeType.Tube ? "试管码" : "转运箱码")}" : request.Title.Trim();
        var batch = await issued.IssueAsync(type.Value, request.Count, division, title, http.User.AccountId(), ct);
        return TypedResults.Created($"/api/v1/sampling/codes/{batch.Id}", batch);
    }

    private static async Task<IResult> Scan(ScanRequest request, HttpContext http, ScanIntake intake, CancellationToken ct) =>
        (await intake.SubmitAsync(request, http.User, Device(http), ct)).ToResult();

    private static string? Device(HttpContext http) => http.Request.Headers["X-Device-Id"].FirstOrDefault() is { Length: > 0 and <= 64 } device ? device : null;

    public sealed record BatchOutcome(string? ClientId, int Status, bool Accepted, bool Repeat, System.Text.Json.JsonElement Body);

    // Several scans at once, as a phone flushes what it queued offline: each gets its own answer, in order.
    private static async Task<Results<Ok<List<BatchOutcome>>, ProblemHttpResult>> ScanBatch(List<ScanRequest?> requests, HttpContext http, ScanIntake intake, IngestQueue ingest, CancellationToken ct)
    {
        if (requests.Count > 500)
        {
            return Problems.Validation.WithDetail("一次最多提交500条").ToResult();
        }
        // The whole batch is prepared before any of it is queued (a refused batch stores nothing); then submitted in
        // order so they share a commit, yet each waits for its own answer.
        var (prepared, refused) = await intake.PrepareBatchAsync(requests, http.User, Device(http), ct);
        if (refused is not null)
        {
            return refused.ToResult();
        }
        var pending = prepared!.Select(p => p.Problem is null ? ingest.SubmitAsync(p.Item!, ct) : Task.FromResult(ScanIntake.Refusal(p.Problem))).ToList();
        var outcomes = await Task.WhenAll(pending);
        return TypedResults.Ok(requests.Zip(outcomes, (r, o) => new BatchOutcome(r!.ClientId, o.Status, o.Accepted, o.Repeat, o.Body)).ToList());
    }

    public sealed record HistoryEntry(string Kind, string Subject, bool Accepted, long At, long? AccountId, string? Username, string? DeviceId, string Payload, string Outcome);

    public sealed record BoxHistory(BoxNow Current, IReadOnlyList<TubeInBox> Tubes, IReadOnlyList<PersonInTube> People, IReadOnlyList<HistoryEntry> Events);

    // Tubes is always empty; it is there so that a box's and a tube's history read alike.
    public sealed record TubeHistory(TubeNow Current, IReadOnlyList<TubeInBox> Tubes, IReadOnlyList<PersonInTube> People, IReadOnlyList<HistoryEntry> Events);

    public sealed record BoxNow(string Code, string State, string StateName, long Tubes, long People, long OpenedAt, long? SealedAt, long? PickedAt, long? ReceivedAt,
        long? ReceivedTubes, string? Discrepancy);

    public sealed record TubeNow(string Code, string Box, string State, string StateName, long Capacity, long People, string? Result, double? Ct, long OpenedAt,
        long? SealedAt, long? ReceivedAt, long? ResultedAt);

    public sealed record TubeInBox(string Code, string State, string StateName, long Capacity, long People, string? Result);

    public sealed record PersonInTube(string Tube, long ResidentId, string Name, string IdMasked, long SampledAt, bool RepeatInRound, string? Result);

    // A box's whole history: its state, its tubes, the people in them, and every scan on it or them, in order.
    internal static async Task<Results<Ok<BoxHistory>, ProblemHttpResult>> BoxHistoryAsync(string code, HttpContext http, Store store, ResidentLookups residents, AccountService accounts, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var box = await db.QuerySingleOrDefaultAsync<BoxRow>(
            "SELECT code, round_id AS RoundId, site_id AS SiteId, division, state, tubes, people, opened_at AS OpenedAt, sealed_at AS SealedAt, picked_at AS PickedAt, received_at AS ReceivedAt, received_tubes AS ReceivedTubes, discrepancy FROM boxes WHERE code = @code AND {scope:division}",
            new { code = code.ToUpperInvariant() }, ct);
        if (box is null)
        {
            return Problems.NotFound.ToResult();
        }
        var tubes = await db.QueryAsync<TubeRow>(
            "SELECT code, box_code AS BoxCode, capacity, people, state, opened_at AS OpenedAt, sealed_at AS SealedAt, received_at AS ReceivedAt, resulted_at AS ResultedAt, result, ct, division FROM tubes WHERE box_code = @code AND {scope:division} ORDER BY opened_at",
            new { code = box.Code }, ct);
        var subjects = tubes.Select(t => t.Code).Append(box.Code).ToList();
        return TypedResults.Ok(new BoxHistory(
            new BoxNow(box.Code, box.State, BoxStates.Names[box.State], box.Tubes, box.People, box.OpenedAt, box.SealedAt, box.PickedAt, box.ReceivedAt, box.ReceivedTubes, box.Discrepancy),
            tubes.Select(t => new TubeInBox(t.Code, t.State, TubeStates.Names[t.State], t.Capacity, t.People, t.Result)).ToList(),
            MaySeePeople(http) ? await PeopleAsync(db, residents, subjects.Take(subjects.Count - 1).ToList(), ct) : [],
            await EventsAsync(store, accounts, subjects, MaySeePeople(http), ct)));
    }

    internal static async Task<Results<Ok<TubeHistory>, ProblemHttpResult>> TubeHistoryAsync(string code, HttpContext http, Store store, ResidentLookups residents, AccountService accounts, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var tube = await db.QuerySingleOrDefaultAsync<TubeRow>(
            "SELECT code, box_code AS BoxCode, capacity, people, state, opened_at AS OpenedAt, sealed_at AS SealedAt, received_at AS ReceivedAt, resulted_at AS ResultedAt, result, ct, division FROM tubes WHERE code = @code AND {scope:division}",
            new { code = code.ToUpperInvariant() }, ct);
        if (tube is null)
        {
            return Problems.NotFound.ToResult();
        }
        return TypedResults.Ok(new TubeHistory(
            new TubeNow(tube.Code, tube.BoxCode, tube.State, TubeStates.Names[tube.State], tube.Capacity, tube.People, tube.Result, tube.Ct, tube.OpenedAt, tube.SealedAt, tube.ReceivedAt, tube.ResultedAt),
            [],
            MaySeePeople(http) || IsFilling(http, tube) ? await PeopleAsync(db, residents, [tube.Code], ct) : [],
            await EventsAsync(store, accounts, [tube.Code, tube.BoxCode], MaySeePeople(http), ct)));
    }

    private static async Task<List<PersonInTube>> PeopleAsync(ScopedDb db, ResidentLookups residents, List<string> tubes, CancellationToken ct)
    {
        var args = new DynamicParameters();
        var where = db.Store.Dialect.InList("s.tube_code", tubes, args, "t");
        var rows = await db.QueryAsync<(string Tube, long Resident, long SampledAt, bool Repeat, string? Result)>(
            $"SELECT s.tube_code, s.resident_id, s.sampled_at, s.repeat_in_round, s.result FROM samples s JOIN tubes t ON t.code = s.tube_code WHERE s.removed = FALSE AND {where} AND {{scope:t.division}} ORDER BY s.sampled_at, s.id",
            args, ct);
        var people = (await residents.FindAsync(rows.Select(r => r.Resident).Distinct().ToList(), ct)).ToDictionary(p => p.Id);
        return rows.Where(r => people.ContainsKey(r.Resident))
            .Select(r => new PersonInTube(r.Tube, r.Resident, ResidentRules.MaskName(people[r.Resident].Name), people[r.Resident].IdMasked, r.SampledAt, r.Repeat, r.Result)).ToList();
    }

    // Couriers, labs and samplers follow boxes and tubes; who is in a tube is for the area's admins (a sampler's
    // own app keeps the people it just added). The counts stay for everyone.
    private static bool MaySeePeople(HttpContext http) => http.User.IsInRole(Roles.Admin);

    // A sampler resuming an open tube on another phone sees who is in it already (masked, as its app shows them).
    private static bool IsFilling(HttpContext http, TubeRow tube) => http.User.IsInRole(Roles.Sampler) && tube.State == TubeStates.Open;

    private static async Task<List<HistoryEntry>> EventsAsync(Store store, AccountService accounts, List<string> subjects, bool withPeople, CancellationToken ct)
    {
        var rows = await EventHistory.OfSubjectsAsync(store, subjects, ct);
        var usernames = await accounts.UsernamesAsync(rows.Select(r => r.AccountId).OfType<long>().Distinct().ToList(), ct);
        return rows.Select(r => new HistoryEntry(r.Kind, r.Subject, r.Accepted, r.At, r.AccountId, r.AccountId is { } a ? usernames.GetValueOrDefault(a) : null, r.DeviceId,
            withPeople ? r.Payload : WithoutPerson(r.Payload), withPeople ? r.Outcome : WithoutPerson(r.Outcome))).ToList();
    }

    // A scan's stored JSON without the person it names (an added person's masked number or name).
    private static string WithoutPerson(string json)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(json) is not System.Text.Json.Nodes.JsonObject node)
        {
            return json;
        }
        Strip(node);
        return node.ToJsonString();

        static void Strip(System.Text.Json.Nodes.JsonObject node)
        {
            foreach (var name in new[] { "person", "name", "idMasked", "masked", "residentId" })
            {
                node.Remove(name);
            }
            foreach (var (_, child) in node.ToList())
            {
                if (child is System.Text.Json.Nodes.JsonObject inner)
                {
                    Strip(inner);
                }
            }
        }
    }

    // Results per tube from a lab, through the same ingest as every scan. Each row gets a fresh random client id
    // (an id made of the tube and result could be used first by anyone, and a refusal stored under it answered the
    // real result); uploading the same file twice still changes nothing, because the handler takes the same result
    // for a resulted tube as done and refuses a different one as a conflict. The whole request is checked before
    // any row is queued: a null row or an impossible Ct refuses it all.
    internal static async Task<Results<Ok<List<RowOutcome>>, ProblemHttpResult>> UploadResults(List<ResultRow?> rows, HttpContext http, ScanIntake intake, CancellationToken ct)
    {
        if (rows.Count > 20_000)
        {
            return Problems.Validation.WithDetail("一次最多提交20000条").ToResult();
        }
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i] is not { } row)
            {
                return ResultRowMissing.WithDetail($"第{i + 1}行").ToResult();
            }
            if (!CtValid(row.Ct))
            {
                return CtInvalid.WithDetail($"第{i + 1}行").ToResult();
            }
        }
        return TypedResults.Ok(await SubmitResultsAsync(rows.Select((r, i) => (i + 1, r!)).ToList(), http, intake, ct));
    }

    private static bool CtValid(double? value) => value is not { } v || (double.IsFinite(v) && v is >= 0 and <= MaxCt);

    internal static async Task<Results<Ok<List<RowOutcome>>, ProblemHttpResult>> ImportResults(IFormFile? file, HttpContext http, ScanIntake intake, CancellationToken ct)
    {
        if (RowIntake.IsMissing(file))
        {
            return RowIntake.FileMissing.ToResult();
        }
        var rows = (await RowIntake.RowsAsync(file, ImportLimits.LabResults, ct)).Select(r => (r.Number, new ResultRow(
            r.Get("tube", "试管码"), r.Get("result", "结果", "检测结果"),
            Ct(r.Get("ct", "Ct", "CT值"))))).ToList();
        return TypedResults.Ok(await SubmitResultsAsync(rows, http, intake, ct));
    }

    // A file's Ct cell: empty is none; text that is no number (or NaN) is kept as NaN, so its row is refused.
    private static double? Ct(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;

    private static async Task<List<RowOutcome>> SubmitResultsAsync(List<(int Row, ResultRow Result)> rows, HttpContext http, ScanIntake intake, CancellationToken ct)
    {
        var pending = rows.Select(r =>
        {
            if (!CtValid(r.Result.Ct))
            {
                return Task.FromResult(ScanIntake.Refusal(CtInvalid));
            }
            var tube = r.Result.Tube?.Trim().ToUpperInvariant();
            var request = new ScanRequest(IngestItem.NewClientId(), ScanKinds.Result, Tube: tube, Result: r.Result.Result, Ct: r.Result.Ct);
            return intake.SubmitAsync(request, http.User, Device(http), ct);
        }).ToList();
        // A lab is told its tube back with each row's outcome, and none of the answer's body.
        var outcomes = await RowIntake.OutcomesAsync(rows.Zip(pending, (r, o) => (r.Row, o)).ToList(), withAnswer: false);
        return outcomes.Zip(rows, (o, r) => o with { Tube = r.Result.Tube }).ToList();
    }
}
