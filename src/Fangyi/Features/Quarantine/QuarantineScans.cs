using System.Globalization;
using System.Text.Json;
using Fangyi.Core.Http;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Checkpoint;
using Fangyi.Features.Sampling;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Quarantine;

// Every step at the site and on a transfer as a scan with its client id, one at a time or as a phone flushes its
// offline outbox: check-in (a group of people scanned together asks for one family room), the daily health
// check-in, release, a move to hospital, and the transfer team's pick-up, 未接到 and hand-over. A scanned citizen code
// or ID number is read as the checkpoint reads it and leaves here as a resident id: no number reaches the event log.
public static class QuarantineScans
{
    public sealed record StepRequest(string? ClientId, string? Kind, long? SiteId, long? OrderId, string[]? People, long[]? ResidentIds, bool WalkIn,
        int? Days, int[]? TestDays, double? Temperature, string? Symptoms, double? Lat, double? Lon, long? At);

    public sealed record ScanOutcome(string? ClientId, int Status, bool Accepted, bool Repeat, JsonElement Body);

    private static readonly Dictionary<string, (string Kind, string[] Roles)> Kinds = new()
    {
        ["checkin"] = (QuarantineKinds.CheckIn, [Roles.Admin, Roles.QuarantineStaff]),
        ["health"] = (QuarantineKinds.HealthCheck, [Roles.Admin, Roles.QuarantineStaff]),
        ["release"] = (QuarantineKinds.Release, [Roles.Admin, Roles.QuarantineStaff]),
        ["to_hospital"] = (QuarantineKinds.ToHospital, [Roles.Admin, Roles.QuarantineStaff]),
        ["pickup"] = (QuarantineKinds.PickUp, [Roles.Admin, Roles.VillageWorker]),
        ["missed"] = (QuarantineKinds.Missed, [Roles.Admin, Roles.VillageWorker]),
        ["handover"] = (QuarantineKinds.HandOver, [Roles.Admin, Roles.VillageWorker, Roles.QuarantineStaff]),
    };

    public static IEndpointRouteBuilder MapQuarantineScans(this IEndpointRouteBuilder app)
    {
        var scans = app.MapGroup("/api/v1/quarantine/scans").WithTags("Quarantine").RequireAuthorization(QuarantinePolicies.Scan);
        scans.MapPost("/", Scan)
            .WithSummary("One quarantine step with its clientId: checkin, health, release, to_hospital (site staff) or pickup, missed, handover (transfer team); people by scanned citizen code or ID number")
            .Produces<CheckedIn>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);
        scans.MapPost("/batch", ScanBatch)
            .WithSummary("Several quarantine steps at once, as a phone flushes its offline outbox: each its own answer, in order");
        return app;
    }

    private static async Task<IResult> Scan(StepRequest request, HttpContext http, Services services, CancellationToken ct)
    {
        var (item, problem) = await PrepareAsync(request, http, services, ct);
        return problem is not null ? problem.ToResult() : (await services.Ingest.SubmitAsync(item!, ct)).ToResult();
    }

    private static async Task<Results<Ok<List<ScanOutcome>>, ProblemHttpResult>> ScanBatch(List<StepRequest?> requests, HttpContext http, Services services, CancellationToken ct)
    {
        if (requests.Count > 500)
        {
            return Problems.Validation.WithDetail("一次最多提交500条").ToResult();
        }
        if (requests.IndexOf(null) is var empty and >= 0)
        {
            return Problems.BatchItemInvalid.WithDetail($"第 {empty} 条（从0起）为空").ToResult();
        }
        var outcomes = new List<Task<IngestOutcome>>();
        foreach (var request in requests)
        {
            var (item, problem) = await PrepareAsync(request!, http, services, ct);
            outcomes.Add(problem is not null
                ? Task.FromResult(new IngestOutcome(false, problem.Status, JsonSerializer.SerializeToElement(problem.ToDetails()), Repeat: false))
                : services.Ingest.SubmitAsync(item!, ct));
        }
        var done = await Task.WhenAll(outcomes);
        return TypedResults.Ok(requests.Zip(done, (r, o) => new ScanOutcome(r!.ClientId, o.Status, o.Accepted, o.Repeat, o.Body)).ToList());
    }

    /// <summary>What a scan needs from the host, in one parameter.</summary>
    public sealed class Services(IngestQueue ingest, CheckInputReader reader, StatusIndex index, Store store, ResidentSamples samples, TimeProvider clock)
    {
        public IngestQueue Ingest { get; } = ingest;
        public CheckInputReader Reader { get; } = reader;
        public StatusIndex Index { get; } = index;
        public Store Store { get; } = store;
        public ResidentSamples Samples { get; } = samples;
        public TimeProvider Clock { get; } = clock;
    }

    private static async Task<(IngestItem? Item, ApiProblem? Problem)> PrepareAsync(StepRequest request, HttpContext http, Services services, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId) || request.ClientId.Length > 100)
        {
            return (null, QuarantineProblems.ClientIdMissing);
        }
        var user = http.User;
        if (request.Kind is null || !Kinds.TryGetValue(request.Kind, out var kind))
        {
            return (null, Problems.Validation.WithDetail("kind 应为 checkin、health、release、to_hospital、pickup、missed 或 handover"));
        }
        if (!kind.Roles.Contains(user.Role()))
        {
            return (null, Problems.Forbidden);
        }
        var residents = new List<long>();
        foreach (var text in request.People ?? [])
        {
            var read = await services.Reader.ReadAsync(text, ct);
            if (read.Problem is not null)
            {
                return (null, QuarantineProblems.PersonInvalid.WithDetail(read.Problem.Title));
            }
            if (read.Slot < 0)
            {
                return (null, QuarantineProblems.PersonUnknown);
            }
            residents.Add(services.Index.Read(read.Slot).ResidentId);
        }
        foreach (var id in request.ResidentIds ?? [])
        {
            if (!services.Index.Contains(id))
            {
                return (null, QuarantineProblems.PersonUnknown);
            }
            residents.Add(id);
        }
        var group = kind.Kind is QuarantineKinds.CheckIn or QuarantineKinds.HandOver;
        if (residents.Count == 0 || residents.Count > (group ? 10 : 1) || residents.Distinct().Count() != residents.Count)
        {
            return (null, QuarantineProblems.GroupInvalid);
        }
        var days = request.Days ?? 14;
        var testDays = request.TestDays ?? [1, 4, 7, 14];
        if (kind.Kind == QuarantineKinds.CheckIn && request.WalkIn && !QuarantineReferrals.Valid(days, testDays))
        {
            return (null, QuarantineProblems.DaysInvalid);
        }
        if (kind.Kind == QuarantineKinds.CheckIn && request.SiteId is null)
        {
            return (null, QuarantineProblems.SiteUnknown);
        }
        if (kind.Kind is QuarantineKinds.PickUp or QuarantineKinds.Missed or QuarantineKinds.HandOver && request.OrderId is null)
        {
            return (null, QuarantineProblems.OrderUnknown);
        }
        var tenths = 0;
        if (kind.Kind == QuarantineKinds.HealthCheck)
        {
            if (request.Temperature is not (>= 34.0 and <= 43.0) || request.Symptoms is { Length: > 200 })
            {
                return (null, QuarantineProblems.TemperatureInvalid);
            }
            tenths = (int)Math.Round(request.Temperature.Value * 10, MidpointRounding.AwayFromZero);
        }
        var now = services.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        // The phone's clock is believed for a step queued offline, unless it is ahead or more than a day behind.
        var at = request.At is { } t && t <= now + 60_000 && t > now - 86_400_000 ? t : now;
        if (kind.Kind == QuarantineKinds.Release && await ReleaseRefusalAsync(residents[0], user.Scope(), at, services, ct) is { } refused)
        {
            return (null, refused);
        }
        var step = new QuarantineStep
        {
            Residents = residents.ToArray(), SiteId = request.SiteId, OrderId = request.OrderId, WalkIn = request.WalkIn, Days = days, TestDays = testDays,
            TemperatureTenths = tenths, Symptoms = request.Symptoms?.Trim(), Lat = request.Lat is >= -90 and <= 90 ? request.Lat : null,
            Lon = request.Lon is >= -180 and <= 180 ? request.Lon : null, Scope = user.Scope(),
        };
        var device = http.Request.Headers["X-Device-Id"].FirstOrDefault() is { Length: > 0 and <= 64 } d ? d : null;
        return (new IngestItem(request.ClientId.Trim(), kind.Kind, user.Division(), user.AccountId(), device, at, step)
        {
            Subject = "resident:" + residents[0].ToString(CultureInfo.InvariantCulture),
        }, null);
    }

    // Release is refused unless every test day of the stay has a negative single-tube result sampled that day, and no
    // single tube since check-in was positive. Results are Sampling's; the served days are checked by the handler.
    private static async Task<ApiProblem?> ReleaseRefusalAsync(long resident, Scope scope, long at, Services services, CancellationToken ct)
    {
        var db = new ScopedDb(services.Store, scope);
        var stay = await db.QuerySingleOrDefaultAsync<QuarantineRows.Stay>(
            $"SELECT {QuarantineRows.StayColumns} FROM quarantine_stays WHERE resident_id = @resident AND state = 'in' AND {{scope:division}}", new { resident }, ct);
        if (stay is null)
        {
            return QuarantineProblems.NotInStay;
        }
        if (at < stay.PlannedEnd)
        {
            return QuarantineProblems.ReleaseNotDue.WithDetail($"计划 {QuarantineDays.Date(stay.PlannedEnd - 1)} 期满");
        }
        var singles = (await services.Samples.LatestAsync(resident, 100, ct)).Where(s => s.Capacity == 1 && s.SampledAt >= QuarantineDays.DayStart(stay.CheckedInAt)).ToList();
        if (singles.Any(s => s.Result == SampleResults.Positive))
        {
            return QuarantineProblems.TestPositive;
        }
        var missing = QuarantineReferrals.ParseTestDays(stay.TestDays).Where(day =>
        {
            var due = QuarantineDays.TestDue(stay.CheckedInAt, day);
            return !singles.Any(s => s.Result == SampleResults.Negative && s.SampledAt >= due - QuarantineDays.Day && s.SampledAt < due);
        }).ToList();
        return missing.Count == 0 ? null : QuarantineProblems.TestsMissing.WithDetail("缺少第" + string.Join("、", missing) + "天的单管阴性结果");
    }
}
