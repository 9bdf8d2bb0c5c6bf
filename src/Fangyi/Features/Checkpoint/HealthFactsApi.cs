using System.Globalization;
using System.Text.Json;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Fangyi.Features.Checkpoint;

// The feeds of the checkpoint's facts: colour changes from the provincial health-code system (one or a batch),
// vaccination doses and social-security cards (API or CSV/XLSX), and arrivals. People are named by document type
// and number; each row is an ingest item whose client id (given, or made from the row) makes a resend one change.
public static partial class HealthFactsApi
{
    [System.Text.RegularExpressions.GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex OffsetAtEnd();

    // At: When the colour took effect: Unix ms, or ISO 8601 text (a time without offset is Beijing time). Default: now.
    public sealed record ColourRequest(string? ClientId, string? DocType, string? IdNumber, string? Colour, JsonElement? At, string? Reason);
    public sealed record VaccinationRequest(string? ClientId, string? DocType, string? IdNumber, int? Dose, JsonElement? Date, string? Vaccine);
    public sealed record ArrivalRequest(string? ClientId, string? DocType, string? IdNumber, long? From, JsonElement? ArrivedAt);
    public sealed record CardRequest(string? ClientId, string? DocType, string? IdNumber, string? CardNumber);

    public const int MaxRows = 20_000;
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    public static IEndpointRouteBuilder MapHealthFacts(this IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup("/api/v1/checkpoint").WithTags("Checkpoint").RequireAuthorization(Policies.Admin);
        feed.MapPost("/colours", Colour)
            .WithSummary("Records one health-code colour change from the provincial feed; the newest change per person wins, and a resend with the same clientId is one change")
            .Produces<ColourSaved>(StatusCodes.Status200OK);
        feed.MapPost("/colours/batch", Colours)
            .WithSummary("Records up to 20000 health-code colour changes from the provincial feed; each row gets its own outcome");
        feed.MapPost("/vaccinations", Vaccinations)
            .WithSummary("Records vaccination doses, up to 20000 per request; each row gets its own outcome");
        feed.MapPost("/vaccinations/import", ImportVaccinations).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(128 * 1024 * 1024))
            .WithSummary("Records vaccination doses from a CSV or XLSX sheet (document, dose, date, vaccine); each row gets its own outcome, numbered as the sheet shows it");
        feed.MapPost("/arrivals", Arrivals)
            .WithSummary("Records arrivals from other regions (where from, when), up to 20000 per request; each row gets its own outcome");
        feed.MapPost("/social-security", Cards)
            .WithSummary("Links social-security card numbers to residents, so a card can be shown at a checkpoint; each row gets its own outcome");
        feed.MapPost("/social-security/import", ImportCards).DisableAntiforgery().WithMetadata(new RequestSizeLimitAttribute(128 * 1024 * 1024))
            .WithSummary("Links social-security cards to residents from a CSV or XLSX sheet (document, card number); each row gets its own outcome");
        return app;
    }

    // What a handler needs to turn rows into ingest items.
    public sealed class Intake(StatusIndex index, KeyRing keys, DivisionDirectory divisions, IngestQueue ingest, TimeProvider clock)
    {
        public long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

        public (long ResidentId, ApiProblem? Problem) Person(string? docTypeText, string? idNumber)
        {
            var docType = DocTypes.Parse(docTypeText);
            var number = IdNumber.Normalize(idNumber ?? "");
            var error = docType == DocTypes.ResidentId
                ? IdNumber.Validate(number, divisions.Tree.RegionExists, DateOnly.FromDateTime(clock.GetLocalNow().DateTime))
                : docType is null ? IdError.DocumentFormat : IdNumber.ValidateOther(number);
            if (error != IdError.None)
            {
                return (0, CheckpointProblems.IdNumberInvalid.WithDetail(IdNumber.Message(error)));
            }
            var slot = index.FindByIdentity(docType!, number);
            return slot < 0 ? (0, CheckpointProblems.PersonUnknown.WithDetail("人员库中没有该证件号码")) : (index.Read(slot).ResidentId, null);
        }

        public (byte[] Hash, int KeyId) CardHash(string card) => (KeyRing.Hash(keys.Active, StatusIndex.SocialSecurityHashType, card), keys.Active.Id);

        public bool DivisionKnown(long code) => divisions.Tree.Find(code) is not null || divisions.Tree.Find(code / 1_000_000 * 1_000_000) is not null;

        // Unix ms from a number (ms, or seconds) or ISO text; a date or time without offset is Beijing time.
        public static long? Time(JsonElement? value, long fallback)
        {
            if (value is not { } v || v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                return fallback;
            }
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
            {
                return n < 100_000_000_000 ? n * 1000 : n;
            }
            return v.ValueKind == JsonValueKind.String ? Time(v.GetString(), fallback) : null;
        }

        public static long? Time(string? text, long fallback)
        {
            text = text?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return fallback;
            }
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n < 100_000_000_000 ? n * 1000 : n;
            }
            if (text.Length > 10 && OffsetAtEnd().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var withOffset))
            {
                return withOffset.ToUnixTimeMilliseconds();
            }
            string[] formats = ["yyyy-MM-dd", "yyyy/M/d", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyyMMdd"];
            return DateTime.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
                ? new DateTimeOffset(local, Beijing).ToUnixTimeMilliseconds()
                : null;
        }

        // Queues a fact under the client's id, or else a random one: an id made of the person and the fact could be
        // guessed and used first, or asked for another account's answer. A file sent again is still one fact per
        // person for colours, doses and cards (upserts); arrivals are kept once by the handler.
        public Task<IngestOutcome> SubmitAsync(string? clientId, string kind, long division, HttpContext http, FactWrite write, CancellationToken ct) =>
            ingest.SubmitAsync(new IngestItem(string.IsNullOrWhiteSpace(clientId) || clientId.Length > 100 ? IngestItem.NewClientId() : clientId.Trim(), kind, division,
                http.User.AccountId(), null, Now, write with { Scope = http.User.Scope() })
            { Subject = "resident:" + write.ResidentId.ToString(CultureInfo.InvariantCulture) }, ct);

        public static IngestOutcome Refusal(ApiProblem problem) =>
            new(false, problem.Status, JsonSerializer.SerializeToElement(problem.ToDetails()), Repeat: false);
    }

    private static Task<IngestOutcome> ColourItem(ColourRequest r, Intake intake, HttpContext http, CancellationToken ct)
    {
        var (resident, problem) = intake.Person(r.DocType, r.IdNumber);
        var colour = StatusNames.ParseColour(r.Colour);
        problem ??= colour is null ? CheckpointProblems.ColourInvalid : null;
        var at = Intake.Time(r.At, intake.Now);
        problem ??= at is null ? CheckpointProblems.DateInvalid : null;
        if (problem is not null)
        {
            return Task.FromResult(Intake.Refusal(problem));
        }
        var reason = (r.Reason ?? "").Trim();
        reason = reason.Length > 100 ? reason[..100] : reason;
        var name = colour!.Value.Name();
        return intake.SubmitAsync(r.ClientId, FactKinds.Colour, http.User.Division(), http,
            new ColourChange(resident, name, at!.Value, reason), ct);
    }

    private static async Task<IResult> Colour(ColourRequest request, Intake intake, HttpContext http, CancellationToken ct) =>
        (await ColourItem(request, intake, http, ct)).ToResult();

    private static async Task<Results<Ok<List<RowOutcome>>, ProblemHttpResult>> Colours(List<ColourRequest> rows, Intake intake, HttpContext http, CancellationToken ct) =>
        rows.Count > MaxRows
            ? CheckpointProblems.TooMany.WithDetail($"一次最多{MaxRows}条").ToResult()
            : TypedResults.Ok(await OutcomesAsync(rows.Select((r, i) => (i + 1, ColourItem(r, intake, http, ct))).ToList()));

    private static Task<IngestOutcome> DoseItem(VaccinationRequest r, Intake intake, HttpContext http, CancellationToken ct)
    {
        var (resident, problem) = intake.Person(r.DocType, r.IdNumber);
        problem ??= r.Dose is >= 1 and <= 9 ? null : CheckpointProblems.DoseInvalid;
        var at = Intake.Time(r.Date, 0);
        problem ??= at is null or 0 || at > intake.Now + 86_400_000 ? CheckpointProblems.DateInvalid.WithDetail("接种日期无效") : null;
        if (problem is not null)
        {
            return Task.FromResult(Intake.Refusal(problem));
        }
        var vaccine = (r.Vaccine ?? "").Trim();
        return intake.SubmitAsync(r.ClientId, FactKinds.Vaccination, http.User.Division(), http,
            new VaccinationDose(resident, r.Dose!.Value, at!.Value, vaccine.Length > 50 ? vaccine[..50] : vaccine), ct);
    }

    private static async Task<Results<Ok<List<RowOutcome>>, ProblemHttpResult>> Vaccinations(List<VaccinationRequest> rows, Intake intake, HttpContext http, CancellationToken ct) =>
        rows.Count > MaxRows
            ? CheckpointProblems.TooMany.WithDetail($"一次最多{MaxRows}条").ToResult()
            : TypedResults.Ok(await OutcomesAsync(rows.Select((r, i) => (i + 1, DoseItem(r, intake, http, ct))).ToList()));

    // Doses from a sheet: doc_type/证件类型, id_number/证件号码, dose/剂次, date/接种日期, vaccine/疫苗名称. Rows are numbered as the sheet shows them.
    private static async Task<Results<Ok<List<RowOutcome>>, ProblemHttpResult>> ImportVaccinations(IFormFile? file, Intake intake, HttpContext http, CancellationToken ct)
    {
        if (await SheetAsync(file, ct) is not { } rows)
        {
            return RowIntake.FileMissing.ToResult();
        }
        if (rows.Count > MaxRows)
        {
            return CheckpointProblems.TooMany.WithDetail($"一次最多导入{MaxRows}行").ToResult();
        }
        return TypedResults.Ok(await OutcomesAsync(rows.Select(row => (row.Number, DoseItem(new VaccinationRequest(null, row.Get("doc_type", "证件类型"),
            row.Get("id_number", "证件号码", "身份证号", "身份证号码"),
            int.TryParse(row.Get("dose", "剂次", "针次"), NumberStyles.None, CultureInfo.InvariantCulture, out var dose) ? dose : null,
            JsonSerializer.SerializeToElement(row.Get("date", "接种日期", "接种时间")), row.Get("vaccine", "疫苗名称", "疫苗")), intake, http, ct))).ToList()));
    }

    private static async Task<Results<Ok<List<RowOutcome>>, ProblemHttpResult>> Arrivals(List<ArrivalRequest> rows, Intake intake, HttpContext http, CancellationToken ct)
    {
        if (rows.Count > MaxRows)
        {
            return CheckpointProblems.TooMany.WithDetail($"一次最多{MaxRows}条").ToResult();
        }
        return TypedResults.Ok(await OutcomesAsync(rows.Select((r, i) =>
        {
            var (resident, problem) = intake.Person(r.DocType, r.IdNumber);
            problem ??= r.From is { } from && Division.IsWellFormed(from) && intake.DivisionKnown(from) ? null : CheckpointProblems.DivisionUnknown.WithDetail("来源地 from 须为12位区划代码");
            var at = Intake.Time(r.ArrivedAt, intake.Now);
            problem ??= at is null || at > intake.Now + 3_600_000 ? CheckpointProblems.DateInvalid.WithDetail("抵达时间无效") : null;
            return (i + 1, problem is not null
                ? Task.FromResult(Intake.Refusal(problem))
                : intake.SubmitAsync(r.ClientId, FactKinds.Arrival, http.User.Division(), http, new ArrivalReport(resident, r.From!.Value, at!.Value), ct));
        }).ToList()));
    }

    private static Task<IngestOutcome> CardItem(CardRequest r, Intake intake, HttpContext http, CancellationToken ct)
    {
        var (resident, problem) = intake.Person(r.DocType, r.IdNumber);
        var card = IdNumber.Normalize(r.CardNumber ?? "");
        problem ??= CheckInputReader.LooksLikeCard(card) ? null : CheckpointProblems.CardInvalid.WithDetail("社保卡号应为1位字母加8位数字");
        if (problem is not null)
        {
            return Task.FromResult(Intake.Refusal(problem));
        }
        var (hash, keyId) = intake.CardHash(card);
        return intake.SubmitAsync(r.ClientId, FactKinds.Card, http.User.Division(), http,
            new CardMapping(resident, hash, keyId, IdNumber.Mask(card)), ct);
    }

    private static async Task<Results<Ok<List<RowOutcome>>, ProblemHttpResult>> Cards(List<CardRequest> rows, Intake intake, HttpContext http, CancellationToken ct) =>
        rows.Count > MaxRows
            ? CheckpointProblems.TooMany.WithDetail($"一次最多{MaxRows}条").ToResult()
            : TypedResults.Ok(await OutcomesAsync(rows.Select((r, i) => (i + 1, CardItem(r, intake, http, ct))).ToList()));

    // Cards from a sheet: doc_type/证件类型, id_number/证件号码, card_number/社保卡号.
    private static async Task<Results<Ok<List<RowOutcome>>, ProblemHttpResult>> ImportCards(IFormFile? file, Intake intake, HttpContext http, CancellationToken ct)
    {
        if (await SheetAsync(file, ct) is not { } rows)
        {
            return RowIntake.FileMissing.ToResult();
        }
        if (rows.Count > MaxRows)
        {
            return CheckpointProblems.TooMany.WithDetail($"一次最多导入{MaxRows}行").ToResult();
        }
        return TypedResults.Ok(await OutcomesAsync(rows.Select(row => (row.Number, CardItem(new CardRequest(null, row.Get("doc_type", "证件类型"),
            row.Get("id_number", "证件号码", "身份证号", "身份证号码"), row.Get("card_number", "社保卡号", "卡号")), intake, http, ct))).ToList()));
    }

    private static async Task<List<SheetRow>?> SheetAsync(IFormFile? file, CancellationToken ct) =>
        RowIntake.IsMissing(file) ? null : (await RowIntake.RowsAsync(file, ImportLimits.HealthFacts, ct)).Take(MaxRows + 1).ToList();

    private static Task<List<RowOutcome>> OutcomesAsync(List<(int Row, Task<IngestOutcome> Outcome)> rows) => RowIntake.OutcomesAsync(rows);
}
