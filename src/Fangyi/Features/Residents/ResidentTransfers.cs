using Fangyi.Core.Storage;
using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Residents;

// Transfer requests (迁入申请): a resident write that names a person held outside the writer's jurisdiction.
// The requesting side sees its own requests, never the holder's details; the holding side and every admin
// above it see all of it and accept (the person moves and takes the requested fields) or decline. Both
// sides' audit trails record the decision.
public static class ResidentTransfers
{
    public static class States
    {
        public const string Requested = "requested";
        public const string Accepted = "accepted";
        public const string Declined = "declined";
    }

    // One request as an account sees it. Holding is true for the holding side and those above it;
    // for the requesting side alone, the resident, the division they are held in and the mask stay null.
    public sealed record TransferView(long Id, string State, long ToDivision, string ToPath, string Name, long RequestedAt, long? DecidedAt,
        bool Holding, long? ResidentId, long? FromDivision, string? FromPath, string? IdMasked);

    public static readonly ApiProblem NotHolder = new("transfer_not_holder", 403, "只有人员现属地或共同上级管理员可以处理该迁入申请");
    public static readonly ApiProblem AlreadyDecided = new("transfer_decided", 409, "该迁入申请已处理");
    public static readonly ApiProblem Stale = new("transfer_stale", 409, "该人员已不在申请时的属地，请重新提交");

    internal sealed record Row
    {
        public long Id { get; init; }
        public long ResidentId { get; init; }
        public long FromDivision { get; init; }
        public long ToDivision { get; init; }
        public string Name { get; init; } = "";
        public byte[] IdHash { get; init; } = [];
        public byte[]? PhoneHash { get; init; }
        public byte[]? PhoneCipher { get; init; }
        public string? PhoneMasked { get; init; }
        public bool? Registered { get; init; }
        public string Tags { get; init; } = "";
        public string State { get; init; } = "";
        public long RequestedAt { get; init; }
        public long? DecidedAt { get; init; }
        public string? IdMasked { get; init; }
    }

    private const string Columns = "t.id, t.resident_id AS ResidentId, t.from_division AS FromDivision, t.to_division AS ToDivision, t.name, t.id_hash AS IdHash, " +
        "t.phone_hash AS PhoneHash, t.phone_cipher AS PhoneCipher, t.phone_masked AS PhoneMasked, t.registered, t.tags, t.state, t.requested_at AS RequestedAt, t.decided_at AS DecidedAt, r.id_masked AS IdMasked";

    // Files a request in the writer's transaction; the phone stays sealed as it was prepared, bound to the person's hash.
    public static Task<long> RequestAsync(DbConnection connection, DbTransaction tx, long resident, long from, PreparedResident r, long now, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO resident_transfers (resident_id, from_division, to_division, name, id_hash, phone_hash, phone_cipher, phone_masked, registered, tags, requested_by, state, requested_at)
            VALUES (@resident, @from, @to, @name, @hash, @phoneHash, @phoneCipher, @phoneMasked, @registered, @tags, @by, @state, @now) RETURNING id
            """,
            new
            {
                resident, from, to = r.Division, name = r.Name, hash = r.Hash, phoneHash = r.PhoneHash, phoneCipher = r.PhoneCipher, phoneMasked = r.PhoneMasked,
                registered = r.Registered, tags = string.Join(',', r.Tags), by = r.Writer?.AccountId, state = States.Requested, now,
            }, tx, cancellationToken: ct));

    public static RouteGroupBuilder MapTransfers(this RouteGroupBuilder residents)
    {
        var group = residents.MapGroup("/transfers").RequireAuthorization(ResidentPolicies.Write);
        group.MapGet("/", List)
            .WithSummary("Lists the transfer requests either side of which lies in the caller's jurisdiction, newest first, optionally by state");
        group.MapPost("/{id:long}/accept", (long id, HttpContext http, Store store, AuditLog audit, TimeProvider clock, CancellationToken ct) => DecideAsync(id, true, http, store, audit, clock, ct))
            .WithSummary("Accepts a transfer request, for the area holding the resident: the resident moves to the requesting area");
        group.MapPost("/{id:long}/decline", (long id, HttpContext http, Store store, AuditLog audit, TimeProvider clock, CancellationToken ct) => DecideAsync(id, false, http, store, audit, clock, ct))
            .WithSummary("Declines a transfer request, for the area holding the resident: the resident stays where it is");
        return group;
    }

    private static async Task<Ok<List<TransferView>>> List(string? state, HttpContext http, Store store, DivisionDirectory divisions, CancellationToken ct) =>
        TypedResults.Ok(await ListAsync(store, divisions.Tree, http.User.Scope(), state, ct));

    // Requests either side of which is inside scope, newest first.
    public static async Task<List<TransferView>> ListAsync(Store store, DivisionTree tree, Scope scope, string? state, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM resident_transfers t JOIN residents r ON r.id = t.resident_id " +
            "WHERE (t.from_division BETWEEN @low AND @high OR t.to_division BETWEEN @low AND @high) AND (@state IS NULL OR t.state = @state) ORDER BY t.id DESC LIMIT 500",
            new { low = scope.Low, high = scope.High, state }, cancellationToken: ct));
        return rows.Select(r => View(r, tree, scope)).ToList();
    }

    private static TransferView View(Row r, DivisionTree tree, Scope scope)
    {
        var holding = scope.Contains(r.FromDivision);
        return new TransferView(r.Id, r.State, r.ToDivision, tree.PathName(r.ToDivision), r.Name, r.RequestedAt, r.DecidedAt, holding,
            holding ? r.ResidentId : null, holding ? r.FromDivision : null, holding ? tree.PathName(r.FromDivision) : null, holding ? r.IdMasked : null);
    }

    // Accepts or declines one request, for the holding side or an admin above both; the answer is the request as the decider sees it.
    public static async Task<Results<Ok<TransferView>, ProblemHttpResult>> DecideAsync(long id, bool accept, HttpContext http, Store store, AuditLog audit, TimeProvider clock, CancellationToken ct)
    {
        var (problem, row) = await DecideAsync(store, http.User, id, accept, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        if (problem is not null)
        {
            return problem.ToResult();
        }
        var action = accept ? "resident.transfer_accepted" : "resident.transfer_declined";
        var subject = row!.ResidentId.ToString(CultureInfo.InvariantCulture);
        var detail = "transfer " + id.ToString(CultureInfo.InvariantCulture);
        // On both sides: the holder's trail and the requester's.
        await audit.WriteAsync(http, action, "resident", subject, row.FromDivision, detail);
        await audit.WriteAsync(http, action, "resident", subject, row.ToDivision, detail);
        if (accept)
        {
            http.RequestServices.GetService<Core.Counters.Counters>()?.Record(new ResidentsMoved([new ResidentMove(row.FromDivision, row.ToDivision)]));
        }
        var tree = http.RequestServices.GetRequiredService<DivisionDirectory>().Tree;
        return TypedResults.Ok(View(row with { State = accept ? States.Accepted : States.Declined }, tree, http.User.Scope()));
    }

    internal static async Task<(ApiProblem? Problem, Row? Row)> DecideAsync(Store store, ClaimsPrincipal user, long id, bool accept, long now, CancellationToken ct)
    {
        var scope = user.Scope();
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM resident_transfers t JOIN residents r ON r.id = t.resident_id WHERE t.id = @id", new { id }, tx, cancellationToken: ct));
        if (row is null || !scope.Contains(row.FromDivision) && !scope.Contains(row.ToDivision))
        {
            return (Problems.NotFound, null);
        }
        if (!scope.Contains(row.FromDivision))
        {
            return (NotHolder, null);
        }
        if (row.State != States.Requested)
        {
            return (AlreadyDecided, null);
        }
        var decided = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE resident_transfers SET state = @state, decided_by = @by, decided_at = @now WHERE id = @id AND state = @requested",
            new { state = accept ? States.Accepted : States.Declined, by = user.AccountId(), now, id, requested = States.Requested }, tx, cancellationToken: ct));
        if (decided != 1)
        {
            return (AlreadyDecided, null);
        }
        if (accept)
        {
            var person = await connection.QuerySingleAsync<(long Division, byte[] IdHash, string Tags)>(new CommandDefinition(
                "SELECT division, id_hash, tags FROM residents WHERE id = @id", new { id = row.ResidentId }, tx, cancellationToken: ct));
            if (person.Division != row.FromDivision)
            {
                return (Stale, null);
            }
            var tags = string.Join(',', person.Tags.Split(',', StringSplitOptions.RemoveEmptyEntries).Union(row.Tags.Split(',', StringSplitOptions.RemoveEmptyEntries)).Order(StringComparer.Ordinal));
            // The phone was sealed bound to the person's hash when asked; after a key rotation it would not open, so it is left out.
            var phone = row.PhoneCipher is not null && person.IdHash.AsSpan().SequenceEqual(row.IdHash);
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE residents SET division = @to, name = @name, registered = COALESCE(@registered, registered), tags = @tags,
                    phone_hash = CASE WHEN @phone THEN @phoneHash ELSE phone_hash END,
                    phone_cipher = CASE WHEN @phone THEN @phoneCipher ELSE phone_cipher END,
                    phone_masked = CASE WHEN @phone THEN @phoneMasked ELSE phone_masked END,
                    updated_at = @now
                WHERE id = @id
                """,
                new { to = row.ToDivision, name = row.Name, registered = row.Registered, tags, phone, phoneHash = row.PhoneHash, phoneCipher = row.PhoneCipher, phoneMasked = row.PhoneMasked, now, id = row.ResidentId },
                tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return (null, row with { DecidedAt = now });
    }
}
