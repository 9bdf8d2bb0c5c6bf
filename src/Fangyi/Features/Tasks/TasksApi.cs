using System.Globalization;
using Dapper;
using Fangyi.Core.Audit;
using Fangyi.Core.Http;
using Fangyi.Core.Identity;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fangyi.Features.Tasks;

// The to-do list over HTTP: the village worker's phone reads its village's tasks (with the phone numbers to call)
// and sends marks; admins read their area's tasks, what has risen to them overdue, and send workers door to door.
public static class TasksApi
{
    public sealed record TaskView(long Id, string Kind, string KindName, long ResidentId, string Name, string IdMasked, string? Phone, string Address,
        long Division, string Source, long DueAt, string State, string StateName, string? Reason, string? ReasonName, string? Note,
        long? NotifiedAt, long CreatedAt, long? ClosedAt, bool Overdue, string Level);

    public sealed record DoorToDoorRequest(long RoundId, long? Division, long? DueAt);

    public sealed record DoorToDoorCreated(long RoundId, string Round, long Division, string Path, int Created, int Already, long DueAt);

    public sealed record MarkRequest(string? ClientId, long TaskId, string? Action, string? Reason, string? Note, long? At);

    public sealed record MarkOutcome(string? ClientId, int Status, bool Accepted, bool Repeat, System.Text.Json.JsonElement Body);

    public static IEndpointRouteBuilder MapTasks(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/v1/tasks").WithTags("Tasks").RequireAuthorization(TasksPolicies.Work);
        tasks.MapGet("/", List)
            .WithSummary("Lists the per-person tasks of the caller's jurisdiction (a village worker's village): kind, state, overdue, or only those risen to the caller's level; with names, masked ID numbers and phones to call; audited");
        tasks.MapGet("/{id:long}", Get)
            .WithSummary("One task of the caller's jurisdiction");
        tasks.MapPost("/door-to-door", DoorToDoor)
            .WithSummary("Opens a door-to-door task for every resident of a division without a standing sample in a running round; once per person and round");
        tasks.MapPost("/marks", Mark)
            .WithSummary("Marks a task: visited (a door-to-door task, with a reason and a note) or notified (a retest); a clientId is one mark")
            .Produces<TaskMarked>(StatusCodes.Status200OK).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        tasks.MapPost("/marks/batch", MarkBatch)
            .WithSummary("Several marks at once, as a phone flushes its offline queue: each its own answer, in order");
        return app;
    }

    internal static async Task<Results<Ok<List<TaskView>>, ProblemHttpResult>> List(string? kind, string? state, bool? overdue, bool? escalated, long? division,
        HttpContext http, Store store, ResidentLookups residents, KeyRing keys, DivisionDirectory divisions, TaskOptions options, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var scope = http.User.Scope();
        var code = division ?? scope.Root;
        if (!scope.Contains(code) || (kind is not null && !TaskKinds.Names.ContainsKey(kind)))
        {
            return (scope.Contains(code) ? Problems.Validation : TasksProblems.DivisionOutside).ToResult();
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        long? dueBefore = escalated == true ? TaskEscalation.RisenBy(Division.LevelOf(scope.Root), now, options) : overdue == true ? now : null;
        var rows = await TaskBoard.ListAsync(ScopedDb.For(store, http.User), new TaskBoard.Filter(Scope.Of(code), kind, state ?? TaskStates.Open, dueBefore), ct);
        var views = await ViewsAsync(rows, residents, keys, divisions, options, now, ct);
        await audit.WriteAsync(http, "tasks.list", "division", code.ToString(CultureInfo.InvariantCulture), code, $"{views.Count} rows");
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<TaskView>, ProblemHttpResult>> Get(long id, HttpContext http, Store store, ResidentLookups residents, KeyRing keys,
        DivisionDirectory divisions, TaskOptions options, TimeProvider clock, CancellationToken ct)
    {
        if (await TaskBoard.FindAsync(ScopedDb.For(store, http.User), id, ct) is not { } row)
        {
            return TasksProblems.TaskUnknown.ToResult();
        }
        var views = await ViewsAsync([row], residents, keys, divisions, options, clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        return views.Count == 1 ? TypedResults.Ok(views[0]) : TasksProblems.TaskUnknown.ToResult();
    }

    internal static async Task<List<TaskView>> ViewsAsync(IReadOnlyList<TaskBoard.Row> rows, ResidentLookups residents, KeyRing keys, DivisionDirectory divisions,
        TaskOptions options, long now, CancellationToken ct)
    {
        var people = await residents.ContactsAsync(keys, rows.Select(r => r.ResidentId).ToList(), ct);
        return rows.Where(r => people.ContainsKey(r.ResidentId)).Select(r =>
        {
            var person = people[r.ResidentId];
            var level = TaskEscalation.Level(r, now, options);
            return new TaskView(r.Id, r.Kind, TaskKinds.Names.GetValueOrDefault(r.Kind, r.Kind), r.ResidentId, person.Name, person.IdMasked, person.Phone,
                divisions.Tree.PathName(r.Division), r.Division, r.Source, r.DueAt, r.State, TaskStates.Names.GetValueOrDefault(r.State, r.State),
                r.Reason, r.Reason is null ? null : TaskReasons.Names.GetValueOrDefault(r.Reason, r.Reason), r.Note, r.NotifiedAt, r.CreatedAt, r.ClosedAt,
                r.State == TaskStates.Open && now >= r.DueAt, level);
        }).ToList();
    }

    internal static async Task<Results<Created<DoorToDoorCreated>, ProblemHttpResult>> DoorToDoor(DoorToDoorRequest request, HttpContext http, Store store,
        IRoundRoster roster, DivisionDirectory divisions, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var db = ScopedDb.For(store, http.User);
        var code = request.Division ?? db.Scope.Root;
        if (!db.Scope.Contains(code) || divisions.Tree.Find(code) is null)
        {
            return TasksProblems.DivisionOutside.ToResult();
        }
        if (await roster.FindAsync(db, request.RoundId, ct) is not { } round)
        {
            return TasksProblems.RoundUnknown.ToResult();
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (now < round.StartsAt || now > round.EndsAt)
        {
            return TasksProblems.RoundNotRunning.ToResult();
        }
        var due = request.DueAt ?? Math.Min(round.EndsAt, now + (long)TaskKinds.DueAfter(TaskKinds.DoorToDoor).TotalMilliseconds);
        if (due <= now)
        {
            return TasksProblems.DueInvalid.ToResult();
        }
        var area = Scope.Of(code);
        var missing = await roster.NotSampledAsync(db, round.Id, area, ct);
        var (created, already) = await OpenDoorToDoorAsync(store, TaskBoard.RoundSource(round.Id), area, missing, due, now, ct);
        await audit.WriteAsync(http, "tasks.door_to_door", "division", code.ToString(CultureInfo.InvariantCulture), code, $"round {round.Id}, {created} tasks");
        return TypedResults.Created($"/api/v1/tasks?kind={TaskKinds.DoorToDoor}&division={code}",
            new DoorToDoorCreated(round.Id, round.Name, code, divisions.Tree.PathName(code), created, already, due));
    }

    // One door-to-door task per person and round: those who have one already (open or closed) are left as they are.
    private static async Task<(int Created, int Already)> OpenDoorToDoorAsync(Store store, string source, Scope area,
        IReadOnlyList<(long ResidentId, long Division)> people, long due, long now, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var have = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT resident_id FROM tasks WHERE kind = 'door_to_door' AND source = @source AND division BETWEEN @low AND @high",
            new { source, low = area.Low, high = area.High }, tx, cancellationToken: ct))).ToHashSet();
        var fresh = people.Where(p => !have.Contains(p.ResidentId)).ToList();
        await connection.ExecuteEachAsync(tx,
            "INSERT INTO tasks (kind, resident_id, division, source, due_at, state, created_at) VALUES ('door_to_door', @resident, @division, @source, @due, 'open', @now) ON CONFLICT DO NOTHING",
            ["resident", "division", "source", "due", "now"], fresh, p => [p.ResidentId, p.Division, source, due, now], ct);
        await tx.CommitAsync(ct);
        return (fresh.Count, people.Count - fresh.Count);
    }

    private static async Task<IResult> Mark(MarkRequest request, HttpContext http, IngestQueue ingest, TimeProvider clock, CancellationToken ct)
    {
        var (item, problem) = Prepare(request, http, clock);
        return problem is not null ? problem.ToResult() : (await ingest.SubmitAsync(item!, ct)).ToResult();
    }

    private static async Task<Results<Ok<List<MarkOutcome>>, ProblemHttpResult>> MarkBatch(List<MarkRequest?> requests, HttpContext http, IngestQueue ingest, TimeProvider clock, CancellationToken ct)
    {
        if (requests.Count > 500)
        {
            return Problems.Validation.WithDetail("一次最多提交500条").ToResult();
        }
        if (requests.IndexOf(null) is var empty and >= 0)
        {
            return Problems.BatchItemInvalid.WithDetail($"第 {empty} 条（从0起）为空").ToResult();
        }
        var outcomes = await Task.WhenAll(requests.Select(r => Prepare(r!, http, clock) switch
        {
            (_, { } problem) => Task.FromResult(Refusal(problem)),
            (var item, _) => ingest.SubmitAsync(item!, ct),
        }));
        return TypedResults.Ok(requests.Zip(outcomes, (r, o) => new MarkOutcome(r!.ClientId, o.Status, o.Accepted, o.Repeat, o.Body)).ToList());
    }

    private static IngestOutcome Refusal(ApiProblem problem) =>
        new(false, problem.Status, System.Text.Json.JsonSerializer.SerializeToElement(problem.ToDetails()), Repeat: false);

    // A mark's form, checked before it is queued; whether the task allows it is the handler's to decide.
    private static (IngestItem? Item, ApiProblem? Problem) Prepare(MarkRequest request, HttpContext http, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(request.ClientId) || request.ClientId.Length > 100)
        {
            return (null, TasksProblems.ClientIdMissing);
        }
        var action = request.Action?.Trim();
        if (action is not (TaskMark.Visited or TaskMark.Notified))
        {
            return (null, TasksProblems.MarkInvalid);
        }
        var reason = request.Reason?.Trim();
        if (action == TaskMark.Visited ? reason is null || !TaskReasons.Visits.Contains(reason) : !string.IsNullOrEmpty(reason))
        {
            return (null, TasksProblems.ReasonInvalid);
        }
        var note = request.Note?.Trim() is { Length: > 0 } n ? n : null;
        if (note is { Length: > 200 })
        {
            return (null, TasksProblems.NoteTooLong);
        }
        var user = http.User;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        // The phone's clock is believed for a mark queued offline, unless it is ahead or more than a day behind.
        var at = request.At is { } t && t <= now + 60_000 && t > now - 86_400_000 ? t : now;
        var device = http.Request.Headers["X-Device-Id"].FirstOrDefault() is { Length: > 0 and <= 64 } d ? d : null;
        var mark = new TaskMark(request.TaskId, action, action == TaskMark.Visited ? reason : null, note) { Scope = user.Scope(), AccountId = user.AccountId() };
        return (new IngestItem(request.ClientId.Trim(), TaskMark.Kind, user.Division(), user.AccountId(), device, at, mark)
        {
            Subject = "task:" + request.TaskId.ToString(CultureInfo.InvariantCulture),
        }, null);
    }
}
