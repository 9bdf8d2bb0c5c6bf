using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Jurisdiction;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Tasks;

/// <summary>The village worker's to-do list: routing, escalation, completion, door-to-door, jurisdiction, offline marks.</summary>
public class TaskRuleTests
{
    private const string Township = "130922100000";   // 青县清州镇, above 司马庄村 and 西城居委会

    private static int _phones;

    // Residents with a phone each, in the given villages: (ID number, phone).
    private static async Task<List<(string Id, string Phone)>> PeopleAsync(SamplingWorld world, params long[] villages)
    {
        var people = new List<(string, string)>();
        foreach (var village in villages)
        {
            var (number, phone) = (People.NewId(), $"138{Interlocked.Increment(ref _phones):D8}");
            var response = await world.Admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = $"村民{people.Count}", phone, division = People.Code(village) });
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            people.Add((number, phone));
        }
        return people;
    }

    // The list without the screening cases' verify tasks (a positive tube puts its people in the pool as well: the
    // screening tests follow those); ScreenTasksAsync gives them.
    private static async Task<JsonElement[]> TasksAsync(HttpClient client, string query = "") =>
        (await AllTasksAsync(client, query)).Where(t => t.GetProperty("kind").GetString() != "screen").ToArray();

    private static async Task<JsonElement[]> ScreenTasksAsync(HttpClient client) =>
        (await AllTasksAsync(client, "")).Where(t => t.GetProperty("kind").GetString() == "screen").ToArray();

    private static async Task<JsonElement[]> AllTasksAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/tasks" + query);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToArray();
    }

    private static async Task<(int Status, JsonElement Body)> MarkAsync(HttpClient client, object mark)
    {
        var response = await client.PostAsJsonAsync("/api/v1/tasks/marks", mark);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static async Task<string> PositiveTubeAsync(SamplingWorld world, List<string> people, int capacity, int box, int tube)
    {
        var (_, code) = await world.ReceivedTubeAsync(people, capacity, box, tube);
        var upload = await (await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube = code, result = "positive" } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(upload[0].GetProperty("accepted").GetBoolean(), upload.ToString());
        return code;
    }

    // A fresh box in the world's site with one tube of the given capacity holding these people.
    private static async Task SampleAsync(SamplingWorld world, IEnumerable<string> people, int capacity, int box, int tube)
    {
        Assert.Equal(201, (await world.OpenBoxAsync(world.Boxes[box])).Status);
        Assert.Equal(201, (await world.OpenTubeAsync(world.Boxes[box], world.Tubes[tube], capacity)).Status);
        foreach (var person in people)
        {
            var (status, body) = await world.AddAsync(world.Tubes[tube], person);
            Assert.True(status == 201, body.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task RetestTasks_GoToTheVillageOfResidence_WithAPhoneToCall_AndASingleTubeSampleDoesThem(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await PeopleAsync(world, Villages.Simazhuang, Villages.Xicheng, Villages.Simazhuang);
        var tube = await PositiveTubeAsync(world, people.Select(p => p.Id).ToList(), 5, 0, 0);
        using var simazhuang = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        using var xicheng = await app.ClientAsync("worker2", Roles.VillageWorker, Villages.Xicheng);

        var mine = await TasksAsync(simazhuang);
        var theirs = Assert.Single(await TasksAsync(xicheng));

        Assert.Equal(2, mine.Length);
        Assert.All(mine, t => Assert.Equal(("retest", tube, Villages.Simazhuang, "open"),
            (t.GetProperty("kind").GetString(), t.GetProperty("source").GetString(), t.GetProperty("division").GetInt64(), t.GetProperty("state").GetString())));
        Assert.Equal(people[1].Phone, theirs.GetProperty("phone").GetString());
        Assert.Equal(people[1].Id[..3] + "***********" + people[1].Id[14..], theirs.GetProperty("idMasked").GetString());
        Assert.Contains("司马庄村", mine[0].GetProperty("address").GetString(), StringComparison.Ordinal);
        Assert.Equal("村民1", theirs.GetProperty("name").GetString());
        // Each is also a screening case (混管阳性) to verify within two hours, in the same village.
        Assert.Equal(2, (await ScreenTasksAsync(simazhuang)).Length);
        Assert.Single(await ScreenTasksAsync(xicheng));

        // A pooled sample is not the retest; a single tube is.
        await SampleAsync(world, [people[0].Id], 5, 1, 1);
        Assert.Equal(2, (await TasksAsync(simazhuang)).Length);
        await SampleAsync(world, [people[0].Id], 1, 2, 2);
        var left = Assert.Single(await TasksAsync(simazhuang));
        var done = (await TasksAsync(simazhuang, "?state=done")).Single();
        Assert.NotEqual(left.GetProperty("id").GetInt64(), done.GetProperty("id").GetInt64());
        Assert.Equal(("sampled", "已采样"), (done.GetProperty("reason").GetString(), done.GetProperty("reasonName").GetString()));
        // The old endpoint answers from the same list.
        Assert.Equal(2, (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/sampling/retest-tasks")).GetArrayLength());
        Assert.True(app.Errors.Entries.Count == 0, app.Errors.ToString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task OverdueTasks_RiseToTheTownshipThenTheCounty_ByTheHostsClock(StoreKind kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(kind, configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        var world = await SamplingWorld.CreateAsync(app);
        var people = await PeopleAsync(world, Villages.Simazhuang, Villages.Xicheng);
        await PositiveTubeAsync(world, people.Select(p => p.Id).ToList(), 5, 0, 0);
        await app.CreateAccountAsync("township", Roles.Admin, long.Parse(Township, System.Globalization.CultureInfo.InvariantCulture));

        using (var township = await app.SignInAsync("township", TestApp.Password))
        using (var county = await app.SignInAsync("county", TestApp.Password))
        {
            Assert.Empty(await TasksAsync(township, "?escalated=true"));
            Assert.Equal(2, (await TasksAsync(township)).Length);
            Assert.All(await TasksAsync(county), t => Assert.Equal(("village", false), (t.GetProperty("level").GetString(), t.GetProperty("overdue").GetBoolean())));
        }

        clock.Advance(TimeSpan.FromHours(25));   // a retest has 24 hours
        using (var township = await app.SignInAsync("township", TestApp.Password))
        using (var county = await app.SignInAsync("county", TestApp.Password))
        {
            var risen = await TasksAsync(township, "?escalated=true");
            Assert.Equal(2, risen.Length);
            Assert.All(risen, t => Assert.Equal(("township", true), (t.GetProperty("level").GetString(), t.GetProperty("overdue").GetBoolean())));
            Assert.Empty(await TasksAsync(county, "?escalated=true"));
            Assert.Equal(2, (await TasksAsync(county, "?overdue=true")).Length);
        }

        clock.Advance(TimeSpan.FromHours(24));   // a day later still open: the county's too
        using (var county = await app.SignInAsync("county", TestApp.Password))
        {
            var risen = await TasksAsync(county, "?escalated=true");
            Assert.Equal(2, risen.Length);
            Assert.All(risen, t => Assert.Equal("county", t.GetProperty("level").GetString()));
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task DoorToDoor_OneTaskPerNotSampled_VisitOrSampleClosesIt_AndCoverageCountsTheReasons(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await PeopleAsync(world, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng);
        await SampleAsync(world, [people[0].Id], 10, 0, 0);
        await app.CreateAccountAsync("township", Roles.Admin, long.Parse(Township, System.Globalization.CultureInfo.InvariantCulture));
        using var township = await app.SignInAsync("township", TestApp.Password);
        using var worker = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);

        var first = await township.PostAsJsonAsync("/api/v1/tasks/door-to-door", new { roundId = world.RoundId, division = Villages.Simazhuang });
        var again = await worker.PostAsJsonAsync("/api/v1/tasks/door-to-door", new { roundId = world.RoundId });
        var foreign = await worker.PostAsJsonAsync("/api/v1/tasks/door-to-door", new { roundId = world.RoundId, division = Villages.Xicheng });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var (made, remade) = (await first.Content.ReadFromJsonAsync<JsonElement>(), await again.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal((2, 0), (made.GetProperty("created").GetInt32(), made.GetProperty("already").GetInt32()));
        Assert.Equal((0, 2), (remade.GetProperty("created").GetInt32(), remade.GetProperty("already").GetInt32()));
        Assert.Equal("division_outside", (await foreign.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var tasks = await TasksAsync(worker, "?kind=door_to_door");
        Assert.Equal(2, tasks.Length);

        var away = tasks.Single(t => t.GetProperty("name").GetString() == "村民1");
        var visit = await MarkAsync(worker, new { clientId = "m-1", taskId = away.GetProperty("id").GetInt64(), action = "visited", reason = "away", note = "在沧州打工，下周回" });
        Assert.Equal(200, visit.Status);
        Assert.Equal(("done", "away"), (visit.Body.GetProperty("state").GetString(), visit.Body.GetProperty("reason").GetString()));
        Assert.Equal("task_reason_invalid", (await MarkAsync(worker, new { clientId = "m-2", taskId = tasks[0].GetProperty("id").GetInt64(), action = "visited", reason = "gone" })).Body.GetProperty("code").GetString());
        // The other is sampled: the visit is no longer needed.
        await SampleAsync(world, [people[2].Id], 10, 1, 1);
        Assert.Empty(await TasksAsync(worker, "?kind=door_to_door"));
        var closed = await TasksAsync(worker, "?kind=door_to_door&state=done");
        Assert.Equal(["away", "sampled"], closed.Select(t => t.GetProperty("reason").GetString()!).Order().ToArray());
        Assert.Equal("在沧州打工，下周回", closed.Single(t => t.GetProperty("reason").GetString() == "away").GetProperty("note").GetString());

        var coverage = await township.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/rounds/{world.RoundId}/coverage");
        Assert.Equal(1, coverage.GetProperty("visited").GetInt64());
        Assert.Equal(1, coverage.GetProperty("visits").GetProperty("away").GetInt64());
        var village = coverage.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("division").GetInt64() == Villages.Simazhuang);
        Assert.Equal((3L, 2L, 1L), (village.GetProperty("residents").GetInt64(), village.GetProperty("sampled").GetInt64(), village.GetProperty("visited").GetInt64()));
        Assert.Equal(1, village.GetProperty("visits").GetProperty("away").GetInt64());
        Assert.True(app.Errors.Entries.Count == 0, app.Errors.ToString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AWorkerOfAnotherVillage_NeitherSeesNorClosesATask_AndOtherRolesAreRefused(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await PeopleAsync(world, Villages.Simazhuang);
        await world.Admin.PostAsJsonAsync("/api/v1/tasks/door-to-door", new { roundId = world.RoundId, division = Villages.Simazhuang });
        var task = Assert.Single(await TasksAsync(world.Admin, "?kind=door_to_door"));
        var id = task.GetProperty("id").GetInt64();
        using var other = await app.ClientAsync("worker2", Roles.VillageWorker, Villages.Xicheng);

        var seen = await other.GetAsync($"/api/v1/tasks/{id}");
        var closed = await MarkAsync(other, new { clientId = "x-1", taskId = id, action = "visited", reason = "refused" });
        var listed = await TasksAsync(other, "?state=all");
        var outside = await other.GetAsync($"/api/v1/tasks?division={Villages.Simazhuang}");
        var sampler = await world.Sampler.GetAsync("/api/v1/tasks");

        Assert.Equal(HttpStatusCode.NotFound, seen.StatusCode);
        Assert.Equal("task_unknown", (await seen.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal((404, "task_unknown"), (closed.Status, closed.Body.GetProperty("code").GetString()));
        Assert.Empty(listed);
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, sampler.StatusCode);
        Assert.Equal("open", (await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{id}")).GetProperty("state").GetString());
        Assert.Equal(people[0].Phone, (await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{id}")).GetProperty("phone").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task OfflineMarks_SentAgain_LandOnce(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await PeopleAsync(world, Villages.Simazhuang, Villages.Simazhuang);
        await PositiveTubeAsync(world, [people[0].Id], 5, 0, 0);
        await world.Admin.PostAsJsonAsync("/api/v1/tasks/door-to-door", new { roundId = world.RoundId, division = Villages.Simazhuang });
        using var worker = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        var tasks = await TasksAsync(worker);
        var door = tasks.Single(t => t.GetProperty("kind").GetString() == "door_to_door" && t.GetProperty("name").GetString() == "村民1").GetProperty("id").GetInt64();
        var retest = tasks.Single(t => t.GetProperty("kind").GetString() == "retest").GetProperty("id").GetInt64();
        var queued = new object[]
        {
            new { clientId = "phone-1", taskId = door, action = "visited", reason = "bedridden", note = "卧床，需上门采样", at = DateTimeOffset.UtcNow.AddMinutes(-30).ToUnixTimeMilliseconds() },
            new { clientId = "phone-2", taskId = retest, action = "notified", note = "已电话通知" },
        };

        // The phone sent its queue, lost the answer, and sends it again.
        var sent = await (await worker.PostAsJsonAsync("/api/v1/tasks/marks/batch", queued)).Content.ReadFromJsonAsync<JsonElement>();
        var resent = await (await worker.PostAsJsonAsync("/api/v1/tasks/marks/batch", queued)).Content.ReadFromJsonAsync<JsonElement>();
        var later = await MarkAsync(worker, new { clientId = "phone-3", taskId = door, action = "visited", reason = "away" });
        var wrongKind = await MarkAsync(worker, new { clientId = "phone-4", taskId = retest, action = "visited", reason = "away" });

        Assert.All(sent.EnumerateArray(), a => Assert.Equal((true, false), (a.GetProperty("accepted").GetBoolean(), a.GetProperty("repeat").GetBoolean())));
        Assert.All(resent.EnumerateArray(), a => Assert.Equal((true, true), (a.GetProperty("accepted").GetBoolean(), a.GetProperty("repeat").GetBoolean())));
        Assert.Equal((409, "task_closed"), (later.Status, later.Body.GetProperty("code").GetString()));
        Assert.Equal((409, "task_mark_not_for_kind"), (wrongKind.Status, wrongKind.Body.GetProperty("code").GetString()));
        var visited = await worker.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{door}");
        Assert.Equal(("done", "bedridden", "卧床"), (visited.GetProperty("state").GetString(), visited.GetProperty("reason").GetString(), visited.GetProperty("reasonName").GetString()));
        var notified = await worker.GetFromJsonAsync<JsonElement>($"/api/v1/tasks/{retest}");
        Assert.Equal(("open", "已电话通知"), (notified.GetProperty("state").GetString(), notified.GetProperty("note").GetString()));
        Assert.True(notified.GetProperty("notifiedAt").GetInt64() > 0);
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE kind = 'task.mark' AND client_id IN ('phone-1', 'phone-2')"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task RetestTasksKeptBeforeTheList_MoveOntoIt_AtStart(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await PeopleAsync(world, Villages.Xicheng);
        var resident = (await TasksAsync(world.Admin)).Length;   // none yet
        await using var connection = await app.Store.OpenAsync();
        var id = await connection.ExecuteScalarAsync<long>("SELECT id FROM residents WHERE name = '村民0'");
        await connection.ExecuteAsync("INSERT INTO retest_tasks (resident_id, division, tube_code, reason, state, created_at) VALUES (@id, @division, 'T0000000001', 'single_tube_retest', 'open', @now)",
            new { id, division = Villages.Xicheng, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() });

        await new Fangyi.Features.Sampling.SamplingModule().LoadAsync(app.Services, CancellationToken.None);
        await new Fangyi.Features.Sampling.SamplingModule().LoadAsync(app.Services, CancellationToken.None);

        Assert.Equal(0, resident);
        var moved = Assert.Single(await TasksAsync(world.Admin));
        Assert.Equal(("retest", "T0000000001", people[0].Phone), (moved.GetProperty("kind").GetString(), moved.GetProperty("source").GetString(), moved.GetProperty("phone").GetString()));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM retest_tasks"));
    }
}
