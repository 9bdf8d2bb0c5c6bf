using System.Globalization;
using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Quarantine;

// Sites, rooms and beds over HTTP, and the county office's direct referral: admins create sites and rooms inside their
// division (rooms also from a sheet), the site's staff read the room board.
public static class QuarantineApi
{
    public sealed record QuarantineSiteRequest(string? Name, long? Division, string? Address, bool AllowsFamilies);

    public sealed record SiteView(long Id, string Name, long Division, string Path, string Address, bool AllowsFamilies, int Rooms, int Beds, int Occupied, int Free);

    public sealed record RoomRequest(string? Building, int? Floor, string? Number, int? Beds, string? Kind);

    public sealed record RoomEdit(int? Beds, string? Kind, bool? Retired);

    public sealed record Occupant(long ResidentId, string Name, string IdMasked, long Bed, long CheckedInAt, long PlannedEnd, bool Fever, bool HealthToday, bool WalkIn);

    public sealed record RoomView(long Id, string Building, long Floor, string Number, long Beds, string Kind, string KindName, bool Retired, int Free, IReadOnlyList<Occupant> Occupants);

    public sealed record BoardView(SiteView Site, IReadOnlyList<RoomView> Rooms);

    public sealed record RoomsImported(int Rows, int Created, IReadOnlyList<ImportRowError> Errors);

    public sealed record ReferralRequest(string? ClientId, string? IdNumber, string? Reason, int? Days, int[]? TestDays);

    /// <summary>A referral made: the person, its state, and whether they were referred already (nothing changed).</summary>
    public sealed record ReferralAnswer(long ResidentId, string State, bool Already);

    public sealed record ReferralView(long Id, long ResidentId, string Name, string IdMasked, long Division, string Path, string Source, string Reason, long Days,
        string TestDays, string State, long CreatedAt);

    internal static readonly ImportLimits RoomLimits = new("rooms", 20_000, 64L << 20);

    public static IEndpointRouteBuilder MapQuarantine(this IEndpointRouteBuilder app)
    {
        var desk = app.MapGroup("/api/v1/quarantine").WithTags("Quarantine").RequireAuthorization(QuarantinePolicies.Desk);
        desk.MapGet("/sites", ListSites)
            .WithSummary("Lists the quarantine sites of the caller's jurisdiction with their rooms, beds, occupied and free beds");
        desk.MapGet("/sites/{id:long}", Board)
            .WithSummary("One site's room board: every room, its beds, who is in it (names masked), fever flags and free beds; audited");
        var manage = app.MapGroup("/api/v1/quarantine").WithTags("Quarantine").RequireAuthorization(QuarantinePolicies.Manage);
        manage.MapPost("/sites", CreateSite)
            .WithSummary("Creates a quarantine site in the caller's jurisdiction (name, division, address, whether families may share a room); audited");
        manage.MapPost("/sites/{id:long}/rooms", AddRoom)
            .WithSummary("Adds a room to a site: building, floor, room number, beds and kind (single or family)");
        manage.MapPost("/sites/{id:long}/rooms/import", ImportRooms).DisableAntiforgery()
            .WithSummary("Imports a site's rooms from CSV or XLSX (building, floor, room, beds, kind columns under their Chinese heads): every bad row by number, column and reason, the good rows kept");
        manage.MapPatch("/rooms/{id:long}", EditRoom)
            .WithSummary("Edits a room: beds, kind, retired; a room with people in it keeps at least their beds and cannot be retired");
        manage.MapPost("/referrals", Refer)
            .WithSummary("Refers a person to centralised quarantine by ID number (in the body, never the URL), reason, days and test days; one open referral a person")
            .Produces<ReferralAnswer>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        desk.MapGet("/stays/{residentId:long}/certificate", Certificate)
            .WithSummary("The release certificate of a person's last released stay at a site of the caller's jurisdiction, as a PDF; masked ID number; audited")
            .ProducesFile(MediaTypes.Pdf).ProducesProblem(StatusCodes.Status404NotFound);
        app.MapGroup("/api/v1/quarantine").WithTags("Quarantine").RequireAuthorization(QuarantinePolicies.Transfer)
            .MapGet("/referrals", ListReferrals)
            .WithSummary("Lists the people awaiting transfer in the caller's jurisdiction, names and numbers masked; audited");
        return app;
    }

    internal static Task<List<QuarantineRows.Site>> SitesAsync(ScopedDb db, CancellationToken ct) =>
        db.QueryAsync<QuarantineRows.Site>($"SELECT {QuarantineRows.SiteColumns} FROM quarantine_sites WHERE {{scope:division}} ORDER BY id", null, ct);

    internal static Task<QuarantineRows.Site?> SiteAsync(ScopedDb db, long id, CancellationToken ct) =>
        db.QuerySingleOrDefaultAsync<QuarantineRows.Site>($"SELECT {QuarantineRows.SiteColumns} FROM quarantine_sites WHERE id = @id AND {{scope:division}}", new { id }, ct);

    private static async Task<Results<Ok<List<SiteView>>, ProblemHttpResult>> ListSites(HttpContext http, Store store, DivisionDirectory divisions, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var sites = await SitesAsync(db, ct);
        var views = new List<SiteView>();
        foreach (var site in sites)
        {
            views.Add(await ViewAsync(store, divisions, site, ct));
        }
        return TypedResults.Ok(views);
    }

    private static async Task<SiteView> ViewAsync(Store store, DivisionDirectory divisions, QuarantineRows.Site site, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var (rooms, beds) = await connection.QuerySingleAsync<(long, long)>(new CommandDefinition(
            "SELECT COUNT(*), COALESCE(SUM(beds), 0) FROM quarantine_rooms WHERE site_id = @id AND retired = 0", new { id = site.Id }, cancellationToken: ct));
        var occupied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM quarantine_stays WHERE site_id = @id AND state = 'in'", new { id = site.Id }, cancellationToken: ct));
        // A room given to one person or one group has no bed left for anyone else.
        var lost = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COALESCE(SUM(r.beds), 0) FROM quarantine_rooms r WHERE r.site_id = @id AND r.retired = 0 AND EXISTS (SELECT 1 FROM quarantine_stays s WHERE s.room_id = r.id AND s.state = 'in')",
            new { id = site.Id }, cancellationToken: ct));
        return new SiteView(site.Id, site.Name, site.Division, divisions.Tree.PathName(site.Division), site.Address, site.Families != 0, (int)rooms, (int)beds, (int)occupied, (int)(beds - lost));
    }

    private static async Task<Results<Created<SiteView>, ProblemHttpResult>> CreateSite(QuarantineSiteRequest request, HttpContext http, Store store, DivisionDirectory divisions,
        TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var scope = http.User.Scope();
        var division = request.Division ?? scope.Root;
        var name = request.Name?.Trim() ?? "";
        var address = request.Address?.Trim() ?? "";
        if (name.Length is 0 or > 100)
        {
            return QuarantineProblems.NameMissing.ToResult();
        }
        if (address.Length is 0 or > 200)
        {
            return QuarantineProblems.AddressMissing.ToResult();
        }
        if (!scope.Contains(division) || divisions.Tree.Find(division) is null)
        {
            return QuarantineProblems.DivisionOutside.ToResult();
        }
        await using var connection = await store.OpenAsync(ct);
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO quarantine_sites (name, division, address, families, created_at) VALUES (@name, @division, @address, @families, @now) RETURNING id",
            new { name, division, address, families = request.AllowsFamilies ? 1 : 0, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, cancellationToken: ct));
        await audit.WriteAsync(http, "quarantine.site_create", "quarantine_site", id.ToString(CultureInfo.InvariantCulture), division, name);
        var site = new QuarantineRows.Site { Id = id, Name = name, Division = division, Address = address, Families = request.AllowsFamilies ? 1 : 0 };
        return TypedResults.Created($"/api/v1/quarantine/sites/{id}", await ViewAsync(store, divisions, site, ct));
    }

    private static ApiProblem? CheckRoom(string building, int? floor, string number, int? beds, string? kind) =>
        building.Length is 0 or > 20 || floor is null or < -5 or > 200 || number.Length is 0 or > 20 || beds is null or < 1 or > 10 || kind is null
            || (kind == RoomKinds.SingleRoom && beds != 1)
            ? QuarantineProblems.RoomInvalid
            : null;

    private static async Task<Results<Created<RoomView>, ProblemHttpResult>> AddRoom(long id, RoomRequest request, HttpContext http, Store store, CancellationToken ct)
    {
        if (await SiteAsync(ScopedDb.For(store, http.User), id, ct) is null)
        {
            return QuarantineProblems.SiteUnknown.ToResult();
        }
        var (building, number, kind) = (request.Building?.Trim() ?? "", request.Number?.Trim() ?? "", RoomKinds.Parse(request.Kind));
        if (CheckRoom(building, request.Floor, number, request.Beds, kind) is { } problem)
        {
            return problem.ToResult();
        }
        await using var connection = await store.OpenAsync(ct);
        var roomId = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "INSERT INTO quarantine_rooms (site_id, building, floor, number, beds, kind, retired) VALUES (@id, @building, @floor, @number, @beds, @kind, 0) ON CONFLICT DO NOTHING RETURNING id",
            new { id, building, floor = request.Floor, number, beds = request.Beds, kind }, cancellationToken: ct));
        if (roomId is null)
        {
            return QuarantineProblems.RoomDuplicate.ToResult();
        }
        return TypedResults.Created($"/api/v1/quarantine/sites/{id}",
            new RoomView(roomId.Value, building, request.Floor!.Value, number, request.Beds!.Value, kind!, RoomKinds.Names[kind!], false, request.Beds!.Value, []));
    }

    private static async Task<Results<Ok<RoomsImported>, ProblemHttpResult>> ImportRooms(long id, IFormFile? file, HttpContext http, Store store, AuditLog audit, CancellationToken ct)
    {
        if (await SiteAsync(ScopedDb.For(store, http.User), id, ct) is not { } site)
        {
            return QuarantineProblems.SiteUnknown.ToResult();
        }
        if (RowIntake.IsMissing(file))
        {
            return RowIntake.FileMissing.ToResult();
        }
        var errors = new List<ImportRowError>();
        var good = new List<(int Row, string Building, int Floor, string Number, int Beds, string Kind)>();
        var seen = new HashSet<(string, string)>();
        var rows = 0;
        foreach (var row in await RowIntake.RowsAsync(file, RoomLimits, ct))
        {
            rows++;
            var building = row.Get("楼栋", "building");
            var number = row.Get("房间号", "room");
            var kind = RoomKinds.Parse(row.Get("房型", "kind"));
            var before = errors.Count;
            if (building.Length is 0 or > 20)
            {
                errors.Add(new ImportRowError(row.Number, "楼栋", "请填写楼栋（20字以内）"));
            }
            if (!int.TryParse(row.Get("楼层", "floor"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var floor) || floor is < -5 or > 200)
            {
                errors.Add(new ImportRowError(row.Number, "楼层", "楼层应为-5至200的整数"));
            }
            if (number.Length is 0 or > 20)
            {
                errors.Add(new ImportRowError(row.Number, "房间号", "请填写房间号（20字以内）"));
            }
            if (!int.TryParse(row.Get("床位数", "beds"), NumberStyles.None, CultureInfo.InvariantCulture, out var beds) || beds is < 1 or > 10)
            {
                errors.Add(new ImportRowError(row.Number, "床位数", "床位数应为1至10"));
            }
            if (kind is null)
            {
                errors.Add(new ImportRowError(row.Number, "房型", "房型应为单人间或家庭间"));
            }
            else if (kind == RoomKinds.SingleRoom && beds != 1 && errors.Count == before)
            {
                errors.Add(new ImportRowError(row.Number, "床位数", "单人间只有1个床位"));
            }
            if (errors.Count == before && !seen.Add((building, number)))
            {
                errors.Add(new ImportRowError(row.Number, "房间号", "文件中该楼栋的房间号重复"));
            }
            if (errors.Count == before)
            {
                good.Add((row.Number, building, floor, number, beds, kind!));
            }
        }
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var existing = (await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT building, number FROM quarantine_rooms WHERE site_id = @id", new { id }, tx, cancellationToken: ct))).ToHashSet();
        var fresh = new List<(int Row, string Building, int Floor, string Number, int Beds, string Kind)>();
        foreach (var room in good)
        {
            if (existing.Contains((room.Building, room.Number)))
            {
                errors.Add(new ImportRowError(room.Row, "房间号", "该楼栋已有此房间号"));
            }
            else
            {
                fresh.Add(room);
            }
        }
        await connection.ExecuteEachAsync(tx,
            "INSERT INTO quarantine_rooms (site_id, building, floor, number, beds, kind, retired) VALUES (@site, @building, @floor, @number, @beds, @kind, 0)",
            ["site", "building", "floor", "number", "beds", "kind"], fresh, r => [id, r.Building, r.Floor, r.Number, r.Beds, r.Kind], ct);
        await tx.CommitAsync(ct);
        await audit.WriteAsync(http, "quarantine.rooms_import", "quarantine_site", id.ToString(CultureInfo.InvariantCulture), site.Division, $"{fresh.Count} rooms, {errors.Count} errors");
        return TypedResults.Ok(new RoomsImported(rows, fresh.Count, errors.OrderBy(e => e.Row).ToList()));
    }

    private static async Task<Results<Ok<RoomView>, ProblemHttpResult>> EditRoom(long id, RoomEdit edit, HttpContext http, Store store, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var room = await connection.QuerySingleOrDefaultAsync<QuarantineRows.Room>(new CommandDefinition(
            $"SELECT {QuarantineRows.RoomColumns} FROM quarantine_rooms WHERE id = @id", new { id }, cancellationToken: ct));
        if (room is null || await SiteAsync(ScopedDb.For(store, http.User), room.SiteId, ct) is null)
        {
            return QuarantineProblems.RoomUnknown.ToResult();
        }
        var kind = edit.Kind is null ? room.Kind : RoomKinds.Parse(edit.Kind);
        var beds = edit.Beds ?? (int)room.Beds;
        if (CheckRoom(room.Building, (int)room.Floor, room.Number, beds, kind) is { } problem)
        {
            return problem.ToResult();
        }
        var retired = edit.Retired ?? room.Retired != 0;
        var occupied = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM quarantine_stays WHERE room_id = @id AND state = 'in'", new { id }, cancellationToken: ct));
        if (occupied > 0 && (retired || beds < occupied || kind != room.Kind))
        {
            return QuarantineProblems.RoomOccupied.ToResult();
        }
        await connection.ExecuteAsync(new CommandDefinition("UPDATE quarantine_rooms SET beds = @beds, kind = @kind, retired = @retired WHERE id = @id",
            new { beds, kind, retired = retired ? 1 : 0, id }, cancellationToken: ct));
        return TypedResults.Ok(new RoomView(id, room.Building, room.Floor, room.Number, beds, kind!, RoomKinds.Names[kind!], retired, occupied > 0 || retired ? 0 : beds, []));
    }

    private static async Task<Results<Ok<BoardView>, ProblemHttpResult>> Board(long id, HttpContext http, Store store, DivisionDirectory divisions, ResidentLookups residents,
        TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        if (await SiteAsync(ScopedDb.For(store, http.User), id, ct) is not { } site)
        {
            return QuarantineProblems.SiteUnknown.ToResult();
        }
        await using var connection = await store.OpenAsync(ct);
        var rooms = (await connection.QueryAsync<QuarantineRows.Room>(new CommandDefinition(
            $"SELECT {QuarantineRows.RoomColumns} FROM quarantine_rooms WHERE site_id = @id ORDER BY building, floor, number", new { id }, cancellationToken: ct))).ToList();
        var stays = (await connection.QueryAsync<QuarantineRows.Stay>(new CommandDefinition(
            $"SELECT {QuarantineRows.StayColumns} FROM quarantine_stays WHERE site_id = @id AND state = 'in'", new { id }, cancellationToken: ct))).ToList();
        var today = QuarantineDays.DayNumber(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var checks = (await connection.QueryAsync<(long Resident, long Fever)>(new CommandDefinition(
            "SELECT resident_id, fever FROM quarantine_health_checks WHERE site_id = @id AND day = @today", new { id, today }, cancellationToken: ct))).ToDictionary(c => c.Resident, c => c.Fever != 0);
        var names = await residents.NamesAsync(stays.Select(s => s.ResidentId).ToList(), ct);
        var byRoom = stays.ToLookup(s => s.RoomId);
        var views = rooms.Select(r =>
        {
            var people = byRoom[r.Id].OrderBy(s => s.Bed).Select(s => new Occupant(s.ResidentId,
                names.TryGetValue(s.ResidentId, out var n) ? Masks.Name(n.Name) : "", names.TryGetValue(s.ResidentId, out var m) ? m.IdMasked : "",
                s.Bed, s.CheckedInAt, s.PlannedEnd, checks.GetValueOrDefault(s.ResidentId), checks.ContainsKey(s.ResidentId), s.WalkIn != 0)).ToList();
            var free = r.Retired != 0 || people.Count > 0 ? 0 : (int)r.Beds;
            return new RoomView(r.Id, r.Building, r.Floor, r.Number, r.Beds, r.Kind, RoomKinds.Names.GetValueOrDefault(r.Kind, r.Kind), r.Retired != 0, free, people);
        }).ToList();
        await audit.WriteAsync(http, "quarantine.board", "quarantine_site", id.ToString(CultureInfo.InvariantCulture), site.Division, $"{stays.Count} people");
        return TypedResults.Ok(new BoardView(await ViewAsync(store, divisions, site, ct), views));
    }

    private static async Task<IResult> Certificate(long residentId, HttpContext http, Store store, ResidentLookups residents, ReleaseCertificate certificates,
        AuditLog audit, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var stays = await db.QueryAsync<QuarantineRows.Stay>(
            $"SELECT {QuarantineRows.StayColumns} FROM quarantine_stays WHERE resident_id = @residentId AND {{scope:division}} ORDER BY checked_in_at DESC", new { residentId }, ct);
        var stay = stays.FirstOrDefault(s => s.State == StayStates.Released);
        if (stays.Count > 0 && stay is null)
        {
            return QuarantineProblems.CertificateNotIssued.ToResult();
        }
        if (stay?.CertificateNo is null || await SiteAsync(db, stay.SiteId, ct) is not { } site || (await residents.NamesAsync([residentId], ct)).GetValueOrDefault(residentId) is not { } person)
        {
            return QuarantineProblems.CertificateUnknown.ToResult();
        }
        await using var connection = await store.OpenAsync(ct);
        var reason = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT reason FROM quarantine_referrals WHERE resident_id = @residentId AND source = @source ORDER BY id DESC LIMIT 1", new { residentId, source = stay.Source }, cancellationToken: ct));
        await audit.WriteAsync(http, "quarantine.certificate", "resident", residentId.ToString(CultureInfo.InvariantCulture), site.Division, stay.CertificateNo);
        var pdf = certificates.Pdf(new ReleaseCertificate.Content(person.Name, person.IdMasked, site.Name, site.Address, stay.CheckedInAt, stay.EndedAt ?? stay.PlannedEnd,
            stay.CertificateNo, reason ?? "现场登记"));
        return TypedResults.File(pdf, "application/pdf", $"release-{stay.CertificateNo}.pdf");
    }

    private static async Task<IResult> Refer(ReferralRequest request, HttpContext http, StatusIndex index, ResidentLookups residents, DivisionDirectory divisions,
        IngestQueue ingest, TimeProvider clock, CancellationToken ct)
    {
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length is 0 or > 50)
        {
            return QuarantineProblems.ReasonMissing.ToResult();
        }
        var days = request.Days ?? 14;
        var testDays = request.TestDays ?? [1, 4, 7, 14];
        if (!QuarantineReferrals.Valid(days, testDays))
        {
            return QuarantineProblems.DaysInvalid.ToResult();
        }
        var number = IdNumber.Normalize(request.IdNumber ?? "");
        if (IdNumber.Validate(number, divisions.Tree.RegionExists, DateOnly.FromDateTime(clock.GetLocalNow().DateTime)) != IdError.None)
        {
            return QuarantineProblems.PersonInvalid.ToResult();
        }
        var slot = index.FindByIdentity(DocTypes.ResidentId, number);
        if (slot < 0 || (await residents.FindAsync([index.Read(slot).ResidentId], ct)) is not [var person] || !http.User.Scope().Contains(person.Division))
        {
            // Someone outside the caller's county is referred by their own county office.
            return QuarantineProblems.PersonUnknown.ToResult();
        }
        var clientId = string.IsNullOrWhiteSpace(request.ClientId) ? IngestItem.NewClientId() : request.ClientId.Trim();
        var step = new QuarantineStep
        {
            Residents = [person.Id], Division = person.Division, Source = "office:" + http.User.AccountId().ToString(CultureInfo.InvariantCulture),
            Reason = reason, Days = days, TestDays = testDays, Scope = http.User.Scope(),
        };
        var item = new IngestItem(clientId, QuarantineKinds.Refer, person.Division, http.User.AccountId(), null, clock.GetUtcNow().ToUnixTimeMilliseconds(), step)
        {
            Subject = "resident:" + person.Id.ToString(CultureInfo.InvariantCulture),
        };
        return (await ingest.SubmitAsync(item, ct)).ToResult();
    }

    private static async Task<Results<Ok<List<ReferralView>>, ProblemHttpResult>> ListReferrals(string? state, HttpContext http, Store store, ResidentLookups residents,
        DivisionDirectory divisions, AuditLog audit, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var rows = await db.QueryAsync<QuarantineRows.ReferralRow>(
            $"SELECT {QuarantineRows.ReferralColumns} FROM quarantine_referrals WHERE state = @state AND {{scope:division}} ORDER BY created_at, id LIMIT 2000",
            new { state = state ?? QuarantineReferrals.Awaiting }, ct);
        var names = await residents.NamesAsync(rows.Select(r => r.ResidentId).ToList(), ct);
        var views = rows.Where(r => names.ContainsKey(r.ResidentId)).Select(r => new ReferralView(r.Id, r.ResidentId, Masks.Name(names[r.ResidentId].Name), names[r.ResidentId].IdMasked,
            r.Division, divisions.Tree.PathName(r.Division), r.Source, r.Reason, r.Days, r.TestDays, r.State, r.CreatedAt)).ToList();
        await audit.WriteAsync(http, "quarantine.referrals", "division", http.User.Division().ToString(CultureInfo.InvariantCulture), http.User.Division(), $"{views.Count} rows");
        return TypedResults.Ok(views);
    }
}
