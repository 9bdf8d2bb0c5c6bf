using Fangyi.Core.Storage;
using System.Globalization;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;
using Fangyi.Features.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using MiniExcelLibs;

namespace Fangyi.Features.Sampling;

// How far a round has got in a division: residents against people sampled, per child division; tubes and
// boxes per custody state; turnaround times; and the list of who has not been sampled yet, per village, for
// village workers going door to door (查漏补缺).
public static class CoverageApi
{
    public sealed record Part(long Division, string Name, long Residents, long Sampled, double Percent, long Visited, IReadOnlyDictionary<string, long> Visits);
    public sealed record Turnaround(int Tubes, double? P50Minutes, double? P90Minutes);
    public sealed record Coverage(long RoundId, long Division, string Path, long Residents, long Sampled, long NotSampled, double Percent,
        long Visited, IReadOnlyDictionary<string, long> Visits, IReadOnlyList<Part> Children, IReadOnlyDictionary<string, long> Tubes, IReadOnlyDictionary<string, long> Boxes,
        Turnaround SampledToReceived, Turnaround ReceivedToResulted, Turnaround SampledToResulted);
    public sealed record Unsampled
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public string IdMasked { get; init; } = "";
        public string? PhoneMasked { get; init; }
        public long Division { get; init; }
        public string Tags { get; init; } = "";
    }
    public sealed record RetestTask
    {
        public long Id { get; init; }
        public long ResidentId { get; init; }
        public string Name { get; init; } = "";
        public string IdMasked { get; init; } = "";
        public long Division { get; init; }
        public string TubeCode { get; init; } = "";
        public string Reason { get; init; } = "";
        public string State { get; init; } = "";
        public long CreatedAt { get; init; }
    }

    public static IEndpointRouteBuilder MapCoverage(this IEndpointRouteBuilder app)
    {
        var counts = app.MapGroup("/api/v1/sampling").WithTags("Sampling").RequireAuthorization(SamplingPolicies.Coverage);
        counts.MapGet("/rounds/{id:long}/coverage", Get)
            .WithSummary("Counts a round's progress in a division of the caller's jurisdiction: residents against people sampled per child division, tubes and boxes per state, turnaround times");
        var people = app.MapGroup("/api/v1/sampling").WithTags("Sampling").RequireAuthorization(SamplingPolicies.People);
        people.MapGet("/rounds/{id:long}/not-sampled", NotSampled)
            .WithSummary("Lists the residents of a division not yet sampled in a round, for village workers going door to door: JSON, or XLSX with format=xlsx; audited")
            .Produces<IReadOnlyList<Unsampled>>(StatusCodes.Status200OK)
            .ProducesFile(MediaTypes.Xlsx);
        people.MapGet("/retest-tasks", RetestTasks)
            .WithSummary("Lists the open retest and re-sampling tasks in the caller's jurisdiction, for village workers");
        return app;
    }

    // The division asked for, narrowed to the jurisdiction; null when it lies outside.
    private static long? Within(HttpContext http, long? division)
    {
        var scope = http.User.Scope();
        var code = division ?? scope.Root;
        return scope.Contains(code) ? code : null;
    }

    private static async Task<Results<Ok<Coverage>, ProblemHttpResult>> Get(long id, long? division, HttpContext http, Store store, DivisionDirectory divisions, CancellationToken ct)
    {
        if (Within(http, division) is not { } code || divisions.Tree.Find(code) is null)
        {
            return Problems.NotFound.ToResult();
        }
        return TypedResults.Ok(await ComputeAsync(id, code, ScopedDb.For(store, http.User), divisions, ct));
    }

    /// <summary>A round's coverage in a division the caller's jurisdiction holds (the console's coverage page and the API).</summary>
    internal static async Task<Coverage> ComputeAsync(long id, long code, ScopedDb db, DivisionDirectory divisions, CancellationToken ct)
    {
        var area = Scope.Of(code);
        var args = new { round = id, low = area.Low, high = area.High };
        var children = divisions.Tree.Children(code);
        var width = children.Count > 0 ? (long)Math.Pow(10, 12 - Division.PrefixDigits(children[0].Level)) : 1;

        // Counts grouped by the child division a row falls in: integer division of the code by the child's width.
        var residents = await ResidentLookups.CountByChildAsync(db, area, width, ct);
        var sampled = (await db.QueryAsync<(long Child, long Count)>(
            $"SELECT division / {width} AS child, COUNT(DISTINCT resident_id) FROM samples WHERE round_id = @round AND removed = FALSE AND division BETWEEN @low AND @high AND {{scope:division}} GROUP BY division / {width}", args, ct))
            .ToDictionary(r => r.Child, r => r.Count);
        // The not-sampled whom a village worker visited, by what was found at the door (the door-to-door tasks).
        var visits = await TaskBoard.VisitsByChildAsync(db, id, area, width, ct);
        IReadOnlyDictionary<string, long> VisitsOf(IEnumerable<(long Child, string Reason, long Count)> rows) =>
            rows.GroupBy(v => v.Reason).ToDictionary(g => g.Key, g => g.Sum(v => v.Count));
        var parts = children.Select(c =>
        {
            var mine = visits.Where(v => v.Child == c.Code / width).ToList();
            return new Part(c.Code, c.Name, residents.GetValueOrDefault(c.Code / width), sampled.GetValueOrDefault(c.Code / width),
                Percent(sampled.GetValueOrDefault(c.Code / width), residents.GetValueOrDefault(c.Code / width)), mine.Sum(v => v.Count), VisitsOf(mine));
        }).ToList();
        var totalResidents = residents.Values.Sum();
        var totalSampled = sampled.Values.Sum();

        var tubes = (await db.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM tubes WHERE round_id = @round AND division BETWEEN @low AND @high AND {scope:division} GROUP BY state", args, ct))
            .ToDictionary(r => r.State, r => r.Count);
        var boxes = (await db.QueryAsync<(string State, long Count)>("SELECT state, COUNT(*) FROM boxes WHERE round_id = @round AND division BETWEEN @low AND @high AND {scope:division} GROUP BY state", args, ct))
            .ToDictionary(r => r.State, r => r.Count);
        var times = await db.QueryAsync<(long? Sealed, long? Received, long? Resulted)>(
            "SELECT sealed_at, received_at, resulted_at FROM tubes WHERE round_id = @round AND division BETWEEN @low AND @high AND {scope:division} AND received_at IS NOT NULL", args, ct);

        return new Coverage(id, code, divisions.Tree.PathName(code), totalResidents, totalSampled, Math.Max(0, totalResidents - totalSampled),
            Percent(totalSampled, totalResidents), visits.Sum(v => v.Count), VisitsOf(visits), parts, tubes, boxes,
            Spread(times.Where(t => t.Sealed is not null).Select(t => t.Received!.Value - t.Sealed!.Value)),
            Spread(times.Where(t => t.Resulted is not null).Select(t => t.Resulted!.Value - t.Received!.Value)),
            Spread(times.Where(t => t.Resulted is not null && t.Sealed is not null).Select(t => t.Resulted!.Value - t.Sealed!.Value)));
    }

    private static double Percent(long part, long whole) => whole == 0 ? 0 : Math.Round(100.0 * part / whole, 1);

    public static Turnaround Spread(IEnumerable<long> millis)
    {
        var sorted = millis.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Turnaround(0, null, null);
        }
        double At(double q) => Math.Round(sorted[(int)Math.Ceiling(q * sorted.Length) - 1] / 60_000.0, 1);
        return new Turnaround(sorted.Length, At(0.5), At(0.9));
    }

    // Residents of a village (or any division) not sampled in the round, as JSON or an XLSX for door-to-door work.
    private static async Task<IResult> NotSampled(long id, long? division, string? format, HttpContext http, Store store, DivisionDirectory divisions, AuditLog audit, CancellationToken ct)
    {
        if (Within(http, division) is not { } code)
        {
            return Problems.NotFound.ToResult();
        }
        var rows = await NotSampledAsync(id, code, ScopedDb.For(store, http.User), ct);
        await audit.WriteAsync(http, "sampling.not_sampled_list", "division", code.ToString(CultureInfo.InvariantCulture), code, $"round {id}, {rows.Count} rows");
        if (format != "xlsx")
        {
            return TypedResults.Ok(rows);
        }
        using var sheet = new MemoryStream();
        await sheet.SaveAsAsync(rows.Select(r => Core.Imports.SafeCell.Row(new Dictionary<string, object>
        {
            ["姓名"] = r.Name,
            ["证件号码"] = r.IdMasked,
            ["手机号"] = r.PhoneMasked ?? "",
            ["居住地"] = divisions.Tree.PathName(r.Division),
            ["标签"] = r.Tags.Replace(',', '、'),
            ["核查情况"] = "",
        })), cancellationToken: ct);
        return TypedResults.File(sheet.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"not-sampled-{id}-{code}.xlsx");
    }

    /// <summary>The residents of a division with no standing sample in the round (the console's coverage page and the API).</summary>
    internal static async Task<List<Unsampled>> NotSampledAsync(long round, long code, ScopedDb db, CancellationToken ct) =>
        (await ResidentLookups.InAreaWithoutAsync(db, Scope.Of(code),
            RoundRoster.StandingSample, new { round }, ct))
            .Select(r => new Unsampled { Id = r.Id, Name = r.Name, IdMasked = r.IdMasked, PhoneMasked = r.PhoneMasked, Division = r.Division, Tags = r.Tags }).ToList();

    // Open single-tube retest and re-sampling tasks in the jurisdiction, for village workers: the retest and resample
    // kinds of the to-do list (Tasks), in the shape this endpoint always had.
    private static async Task<Ok<List<RetestTask>>> RetestTasks(long? division, HttpContext http, Store store, ResidentLookups residents, CancellationToken ct)
    {
        var area = Scope.Of(Within(http, division) ?? -1);
        var rows = (await TaskBoard.ListAsync(ScopedDb.For(store, http.User), new TaskBoard.Filter(area), ct))
            .Where(t => t.Kind is TaskKinds.Retest or TaskKinds.Resample).OrderBy(t => (t.CreatedAt, t.Id)).ToList();
        var people = (await residents.FindAsync(rows.Select(r => r.ResidentId).Distinct().ToList(), ct)).ToDictionary(p => p.Id);
        return TypedResults.Ok(rows.Where(r => people.ContainsKey(r.ResidentId))
            .Select(r => new RetestTask
            {
                Id = r.Id, ResidentId = r.ResidentId, Division = r.Division, TubeCode = r.Source, State = r.State, CreatedAt = r.CreatedAt,
                Reason = r.Kind == TaskKinds.Retest ? "single_tube_retest" : "resample",
                Name = ResidentRules.MaskName(people[r.ResidentId].Name), IdMasked = people[r.ResidentId].IdMasked,
            }).ToList());
    }
}
