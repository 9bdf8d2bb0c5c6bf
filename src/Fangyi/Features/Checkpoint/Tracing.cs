using Fangyi.Core.Storage;
using System.Globalization;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Checkpoint;

// Where was I checked (场所查验轨迹): a person's checks, and the people checked at the same places around the same
// times, for tracing. Admins and commanders only; the person must live within the account's jurisdiction and only
// checks at places within it are shown (ScopedDb); every look is audited.
public static class Tracing
{
    // A person by resident id, or by document type and number (in the body, so it never lands in a URL or a log).
    public sealed record PersonQuery(long? ResidentId, string? DocType, string? IdNumber, DateTimeOffset? From, DateTimeOffset? To, int? WindowMinutes);
    public sealed record CheckView(long At, long PlaceId, string PlaceName, string Category, long Division, string DivisionPath, string Verdict, string? Colour);
    public sealed record PersonChecks(long ResidentId, string Name, string IdMasked, long From, long To, IReadOnlyList<CheckView> Checks);
    public sealed record Contact(long ResidentId, string Name, string IdMasked, long PlaceId, string PlaceName, long At, long TheirAt, int MinutesApart);
    public sealed record Contacts(long ResidentId, string Name, string IdMasked, int WindowMinutes, IReadOnlyList<Contact> People);
    public sealed record Visitor(long? ResidentId, string Name, string IdMasked, long At, string Verdict, string? Colour, string InputKind);
    public sealed record PlaceVisitors(long PlaceId, string PlaceName, long From, long To, IReadOnlyList<Visitor> People);

    private sealed record CheckRow
    {
        public long At { get; init; }
        public long PlaceId { get; init; }
        public string PlaceName { get; init; } = "";
        public string Category { get; init; } = "";
        public long Division { get; init; }
        public string Verdict { get; init; } = "";
        public string? Colour { get; init; }
    }

    private sealed record ContactRow
    {
        public long ResidentId { get; init; }
        public long PlaceId { get; init; }
        public string PlaceName { get; init; } = "";
        public long At { get; init; }
        public long TheirAt { get; init; }
    }

    private sealed record VisitorRow
    {
        public long? ResidentId { get; init; }
        public long At { get; init; }
        public string Verdict { get; init; } = "";
        public string? Colour { get; init; }
        public string InputKind { get; init; } = "";
    }

    public static IEndpointRouteBuilder MapTracing(this IEndpointRouteBuilder app)
    {
        var trace = app.MapGroup("/api/v1/checkpoint/trace").WithTags("Checkpoint")
            .RequireAuthorization(Policies.Admin);
        trace.MapPost("/person", PersonAsync)
            .WithSummary("Lists where a resident of the caller's jurisdiction was checked in a time window, for tracing; the person is named in the body; audited");
        trace.MapPost("/contacts", ContactsAsync)
            .WithSummary("Lists the people checked at the same places within minutes of a resident, for tracing; audited");
        trace.MapGet("/places/{placeId:long}", PlaceAsync)
            .WithSummary("Lists who was checked at a place of the caller's jurisdiction in a time window, for tracing; audited");
        return app;
    }

    private static (long From, long To) Window(PersonQuery query, TimeProvider clock) =>
        ((query.From ?? clock.GetUtcNow().AddDays(-60)).ToUnixTimeMilliseconds(), (query.To ?? clock.GetUtcNow().AddMinutes(1)).ToUnixTimeMilliseconds());

    // The person within the jurisdiction, or null (outside it, a person does not exist, as everywhere).
    private static async Task<ResidentView?> FindAsync(PersonQuery query, ScopedDb db, StatusIndex index, DivisionDirectory divisions, CancellationToken ct)
    {
        var id = query.ResidentId;
        if (id is null && !string.IsNullOrWhiteSpace(query.IdNumber) && DocTypes.Parse(query.DocType) is { } docType)
        {
            var slot = index.FindByIdentity(docType, IdNumber.Normalize(query.IdNumber));
            id = slot < 0 ? null : index.Read(slot).ResidentId;
        }
        return id is null ? null : await ResidentQueries.FindAsync(db, divisions.Tree, id.Value, ct);
    }

    private static async Task<Results<Ok<PersonChecks>, ProblemHttpResult>> PersonAsync(PersonQuery query, HttpContext http, Store store, StatusIndex index, DivisionDirectory divisions,
        AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        if (await FindAsync(query, db, index, divisions, ct) is not { } person)
        {
            return Problems.NotFound.ToResult();
        }
        var (from, to) = Window(query, clock);
        var rows = await db.QueryAsync<CheckRow>(
            """
            SELECT c.at, c.place_id AS PlaceId, p.name AS PlaceName, p.category, c.division, c.verdict, c.colour
            FROM checks c JOIN places p ON p.id = c.place_id
            WHERE c.resident_id = @id AND c.at BETWEEN @from AND @to AND {scope:c.division}
            ORDER BY c.at
            """, new { id = person.Id, from, to }, ct);
        await audit.WriteAsync(http, "checkpoint.trace_person", "resident", person.Id.ToString(CultureInfo.InvariantCulture), person.Division, $"{rows.Count} checks");
        return TypedResults.Ok(new PersonChecks(person.Id, ResidentRules.MaskName(person.Name), person.IdMasked, from, to,
            rows.Select(r => new CheckView(r.At, r.PlaceId, r.PlaceName, r.Category, r.Division, divisions.Tree.PathName(r.Division), r.Verdict, r.Colour)).ToList()));
    }

    // Everyone checked at a place the person was checked at, within the window (default 30 minutes) either side.
    private static async Task<Results<Ok<Contacts>, ProblemHttpResult>> ContactsAsync(PersonQuery query, HttpContext http, Store store, StatusIndex index, DivisionDirectory divisions,
        ResidentLookups residents, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        if (await FindAsync(query, db, index, divisions, ct) is not { } person)
        {
            return Problems.NotFound.ToResult();
        }
        var (from, to) = Window(query, clock);
        var minutes = Math.Clamp(query.WindowMinutes ?? 30, 1, 24 * 60);
        var rows = await db.QueryAsync<ContactRow>(
            """
            SELECT o.resident_id AS ResidentId, c.place_id AS PlaceId, p.name AS PlaceName, c.at, o.at AS TheirAt
            FROM checks c
            JOIN checks o ON o.place_id = c.place_id AND o.at BETWEEN c.at - @window AND c.at + @window AND o.resident_id <> c.resident_id
            JOIN places p ON p.id = c.place_id
            WHERE c.resident_id = @id AND c.at BETWEEN @from AND @to AND {scope:c.division}
            ORDER BY c.at, o.at
            LIMIT 10000
            """, new { id = person.Id, from, to, window = minutes * 60_000L }, ct);
        var names = await residents.NamesAsync(rows.Select(r => r.ResidentId).ToList(), ct);
        rows = rows.Where(r => names.ContainsKey(r.ResidentId)).ToList();
        await audit.WriteAsync(http, "checkpoint.trace_contacts", "resident", person.Id.ToString(CultureInfo.InvariantCulture), person.Division,
            $"{rows.Select(r => r.ResidentId).Distinct().Count()} people within {minutes} min");
        return TypedResults.Ok(new Contacts(person.Id, ResidentRules.MaskName(person.Name), person.IdMasked, minutes,
            rows.Select(r => new Contact(r.ResidentId, ResidentRules.MaskName(names[r.ResidentId].Name), names[r.ResidentId].IdMasked, r.PlaceId, r.PlaceName, r.At, r.TheirAt, (int)(Math.Abs(r.TheirAt - r.At) / 60_000))).ToList()));
    }

    // Everyone checked at one place between two times (default: the last day).
    private static async Task<Results<Ok<PlaceVisitors>, ProblemHttpResult>> PlaceAsync(long placeId, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, Store store,
        ResidentLookups residents, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        if (await db.QuerySingleOrDefaultAsync<Place>("SELECT id, name, category, division FROM places WHERE id = @placeId AND {scope:division}", new { placeId }, ct) is not { } place)
        {
            return Problems.NotFound.ToResult();
        }
        var (start, end) = ((from ?? clock.GetUtcNow().AddDays(-1)).ToUnixTimeMilliseconds(), (to ?? clock.GetUtcNow().AddMinutes(1)).ToUnixTimeMilliseconds());
        var rows = await db.QueryAsync<VisitorRow>(
            """
            SELECT c.resident_id AS ResidentId, c.at, c.verdict, c.colour, c.input_kind AS InputKind
            FROM checks c
            WHERE c.place_id = @placeId AND c.at BETWEEN @start AND @end AND {scope:c.division}
            ORDER BY c.at
            LIMIT 20000
            """, new { placeId, start, end }, ct);
        var names = await residents.NamesAsync(rows.Where(r => r.ResidentId is not null).Select(r => r.ResidentId!.Value).ToList(), ct);
        await audit.WriteAsync(http, "checkpoint.trace_place", "place", placeId.ToString(CultureInfo.InvariantCulture), place.Division, $"{rows.Count} checks");
        return TypedResults.Ok(new PlaceVisitors(place.Id, place.Name, start, end,
            rows.Select(r => r.ResidentId is { } id && names.TryGetValue(id, out var n)
                ? new Visitor(r.ResidentId, ResidentRules.MaskName(n.Name), n.IdMasked, r.At, r.Verdict, r.Colour, r.InputKind)
                : new Visitor(r.ResidentId, "", "", r.At, r.Verdict, r.Colour, r.InputKind)).ToList()));
    }
}
