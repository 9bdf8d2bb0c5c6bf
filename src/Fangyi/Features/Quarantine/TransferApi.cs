using System.Globalization;
using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Quarantine;

// Transfer orders (转运单): an admin or a village worker's team groups people awaiting transfer in their area for a
// vehicle, a team and a destination site; the steps on an order are scans (QuarantineScans).
public static class TransferApi
{
    public sealed record OrderRequest(string? Plate, string? Team, long? SiteId, long[]? ResidentIds);

    public sealed record PersonView(long ResidentId, string Name, string IdMasked, string Address, string State, string StateName, long? At);

    public sealed record OrderView(long Id, long Division, long SiteId, string Site, string Plate, string Team, long CreatedAt, int Waiting, int PickedUp, int Missed,
        int HandedOver, IReadOnlyList<PersonView> People);

    public static IEndpointRouteBuilder MapTransfers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/transfers").WithTags("Quarantine").RequireAuthorization(QuarantinePolicies.Transfer);
        group.MapPost("/", Create)
            .WithSummary("Creates a transfer order: plate, team, destination site and people awaiting transfer in the caller's jurisdiction (each on one open order)");
        group.MapGet("/", List)
            .WithSummary("Lists the transfer orders of the caller's jurisdiction with their counts");
        app.MapGroup("/api/v1/transfers").WithTags("Quarantine").RequireAuthorization(QuarantinePolicies.Scan)
            .MapGet("/{id:long}", Get)
            .WithSummary("One transfer order with its people (names masked) and each one's state; for the team and the receiving site; audited");
        return app;
    }

    private static async Task<Results<Created<OrderView>, ProblemHttpResult>> Create(OrderRequest request, HttpContext http, Store store, ResidentLookups residents,
        DivisionDirectory divisions, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var plate = request.Plate?.Trim() ?? "";
        var team = request.Team?.Trim() ?? "";
        var ids = request.ResidentIds?.Distinct().ToList() ?? [];
        if (plate.Length is 0 or > 20 || team.Length is 0 or > 50 || ids.Count is 0 or > 60 || request.SiteId is null)
        {
            return QuarantineProblems.OrderInvalid.ToResult();
        }
        var scope = http.User.Scope();
        // The destination may lie outside a village worker's village: any site of the county holding it.
        var county = new ScopedDb(store, Scope.Of(scope.Root / 1_000_000 * 1_000_000));
        if (await QuarantineApi.SiteAsync(county, request.SiteId.Value, ct) is not { } site)
        {
            return QuarantineProblems.SiteUnknown.ToResult();
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var referrals = await connection.QueryInAsync<QuarantineRows.ReferralRow, long>(tx, store.Dialect,
            $"SELECT {QuarantineRows.ReferralColumns} FROM quarantine_referrals WHERE closed_at IS NULL AND state = 'awaiting' AND {{in}}", "resident_id", ids, ct);
        var busy = (await connection.QueryInAsync<long, long>(tx, store.Dialect,
            "SELECT resident_id FROM transfer_people WHERE state IN ('waiting', 'picked_up') AND {in}", "resident_id", ids, ct)).ToHashSet();
        var people = referrals.Where(r => scope.Contains(r.Division)).ToList();
        if (people.Count != ids.Count)
        {
            return QuarantineProblems.ReferralUnknown.ToResult();
        }
        if (people.Any(p => busy.Contains(p.ResidentId)))
        {
            return QuarantineProblems.NotReferred.WithDetail("所选人员已在另一张转运单上").ToResult();
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO transfer_orders (division, site_id, plate, team, state, created_at, created_by) VALUES (@division, @site, @plate, @team, 'open', @now, @by) RETURNING id",
            new { division = scope.Root, site = site.Id, plate, team, now, by = http.User.AccountId() }, tx, cancellationToken: ct));
        await connection.ExecuteEachAsync(tx,
            "INSERT INTO transfer_people (order_id, referral_id, resident_id, division, state) VALUES (@order, @referral, @resident, @division, 'waiting')",
            ["order", "referral", "resident", "division"], people, p => [id, p.Id, p.ResidentId, p.Division], ct);
        await tx.CommitAsync(ct);
        await audit.WriteAsync(http, "quarantine.transfer_create", "transfer_order", id.ToString(CultureInfo.InvariantCulture), scope.Root, $"{people.Count} people, {plate}");
        return TypedResults.Created($"/api/v1/transfers/{id}", await ViewAsync(store, residents, divisions, id, ct));
    }

    private static async Task<Ok<List<OrderView>>> List(HttpContext http, Store store, ResidentLookups residents, DivisionDirectory divisions, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var ids = await db.QueryAsync<long>("SELECT id FROM transfer_orders WHERE {scope:division} ORDER BY id DESC LIMIT 200", null, ct);
        var views = new List<OrderView>();
        foreach (var id in ids)
        {
            views.Add((await ViewAsync(store, residents, divisions, id, ct))! with { People = [] });
        }
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> Get(long id, HttpContext http, Store store, ResidentLookups residents, DivisionDirectory divisions,
        AuditLog audit, CancellationToken ct)
    {
        var scope = http.User.Scope();
        var view = await ViewAsync(store, residents, divisions, id, ct);
        // The team's area or the receiving site's.
        var site = view is null ? null : await QuarantineApi.SiteAsync(ScopedDb.For(store, http.User), view.SiteId, ct);
        if (view is null || (!scope.Contains(view.Division) && site is null))
        {
            return QuarantineProblems.OrderUnknown.ToResult();
        }
        await audit.WriteAsync(http, "quarantine.transfer_read", "transfer_order", id.ToString(CultureInfo.InvariantCulture), view.Division, $"{view.People.Count} people");
        return TypedResults.Ok(view);
    }

    private static async Task<OrderView?> ViewAsync(Store store, ResidentLookups residents, DivisionDirectory divisions, long id, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var order = await connection.QuerySingleOrDefaultAsync<QuarantineRows.Order>(new CommandDefinition(
            $"SELECT {QuarantineRows.OrderColumns} FROM transfer_orders WHERE id = @id", new { id }, cancellationToken: ct));
        if (order is null)
        {
            return null;
        }
        var site = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT name FROM quarantine_sites WHERE id = @id", new { id = order.SiteId }, cancellationToken: ct));
        var people = (await connection.QueryAsync<QuarantineRows.OrderPerson>(new CommandDefinition(
            $"SELECT {QuarantineRows.OrderPersonColumns} FROM transfer_people WHERE order_id = @id ORDER BY resident_id", new { id }, cancellationToken: ct))).ToList();
        var names = await residents.NamesAsync(people.Select(p => p.ResidentId).ToList(), ct);
        var views = people.Where(p => names.ContainsKey(p.ResidentId)).Select(p => new PersonView(p.ResidentId, Masks.Name(names[p.ResidentId].Name), names[p.ResidentId].IdMasked,
            divisions.Tree.PathName(p.Division), p.State, TransferStates.Names.GetValueOrDefault(p.State, p.State), p.At)).ToList();
        int Count(string state) => people.Count(p => p.State == state);
        return new OrderView(order.Id, order.Division, order.SiteId, site ?? "", order.Plate, order.Team, order.CreatedAt,
            Count(TransferStates.Waiting), Count(TransferStates.PickedUp), Count(TransferStates.Missed), Count(TransferStates.HandedOver), views);
    }
}
