using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Tests.Checkpoint;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using static Fangyi.Tests.Quarantine.QuarantineDesk;

namespace Fangyi.Tests.Quarantine;

/// <summary>Quarantine sites, referrals, check-in to a bed, transfers, the hold at the door and release.</summary>
public class QuarantineTests
{
    private static readonly int[] WalkInTestDays = [1, 7];

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task RoomImport_ReportsEveryBadRowByNumberAndColumn_AndKeepsTheGoodOnes(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var county = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var site = await SiteAsync(county, 2);

        var (status, report) = await ImportAsync(county, site,
            "楼栋,楼层,房间号,床位数,房型\n1号楼,3,301,1,单人间\n1号楼,x,302,1,单人间\n1号楼,3,303,0,家庭间\n1号楼,3,304,2,单人间\n1号楼,3,001,1,单人间\n1号楼,3,305,3,家庭间\n1号楼,3,305,3,家庭间\n");

        Assert.Equal(200, status);
        Assert.Equal(2, report.GetProperty("created").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString())).ToList();
        Assert.Equal([(3, "楼层"), (4, "床位数"), (5, "床位数"), (6, "房间号"), (8, "房间号")], errors);
        var board = await county.GetFromJsonAsync<JsonElement>($"/api/v1/quarantine/sites/{site}");
        Assert.Equal((4, 6, 6), (board.GetProperty("site").GetProperty("rooms").GetInt32(), board.GetProperty("site").GetProperty("beds").GetInt32(), board.GetProperty("site").GetProperty("free").GetInt32()));

        // Outside the caller's county the site does not exist.
        using var other = await app.ClientAsync("cangxian", Roles.Admin, People.Cangxian);
        Assert.Equal(404, (await AnswerAsync(await other.GetAsync($"/api/v1/quarantine/sites/{site}"))).Status);
        Assert.Equal("site_unknown", (await ImportAsync(other, site, "楼栋,楼层,房间号,床位数,房型\n1号楼,1,101,1,单人间\n")).Body.Code());
        Assert.Equal("division_outside", (await AnswerAsync(await other.PostAsJsonAsync("/api/v1/quarantine/sites", new { name = "x", division = People.Qingzhou, address = "y" }))).Body.Code());
        Assert.True(app.Errors.Entries.Count == 0, app.Errors.ToString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task TwoHundredParallelCheckIns_IntoOneHundredFiftyBeds_AssignEachBedOnce_AndRefuseTheRestAsFull(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var site = await SiteAsync(world.Admin, 150);
        var people = await world.ResidentsAsync(Enumerable.Repeat(Villages.Simazhuang, 200).ToArray());
        foreach (var person in people)
        {
            Assert.Equal(201, (await ReferAsync(world.Admin, person)).Status);
        }
        using var desk = await app.ClientAsync("desk", Roles.QuarantineStaff, People.Qingzhou);

        var answers = await Task.WhenAll(people.Select(p => Task.Run(() => CheckInAsync(desk, site, p))));

        Assert.Equal(150, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal((409, "site_full"), (a.Status, a.Body.Code())));
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal("隔离点已满，没有空余床位", a.Body.GetProperty("title").GetString()));
        await using var connection = await app.Store.OpenAsync();
        var beds = (await connection.QueryAsync<(long Room, long Bed)>("SELECT room_id, bed FROM quarantine_stays WHERE state = 'in'")).ToList();
        Assert.Equal(150, beds.Count);
        Assert.Equal(150, beds.Distinct().Count());
        Assert.Equal(150, await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT resident_id) FROM quarantine_stays"));
        var board = await desk.GetFromJsonAsync<JsonElement>($"/api/v1/quarantine/sites/{site}");
        Assert.Equal((150, 0), (board.GetProperty("site").GetProperty("occupied").GetInt32(), board.GetProperty("site").GetProperty("free").GetInt32()));
        Assert.True(app.Errors.Entries.Count == 0, app.Errors.ToString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AGroupTakesOneFamilyRoom_ASecondReferralChangesNothing_AndOnlyReferredPeopleOrWalkInsCheckIn(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var site = await SiteAsync(world.Admin, 1, [2, 3]);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang);
        foreach (var person in people.Take(4))
        {
            Assert.Equal(201, (await ReferAsync(world.Admin, person)).Status);
        }
        var again = await ReferAsync(world.Admin, people[0], days: 7, testDays: WalkInTestDays);
        Assert.Equal((200, true), (again.Status, again.Body.GetProperty("already").GetBoolean()));
        using var desk = await app.ClientAsync("desk", Roles.QuarantineStaff, People.Qingzhou);

        var family = await CheckInAsync(desk, site, people[0], people[1], people[2]);
        var stranger = await CheckInAsync(desk, site, people[4]);
        var walkIn = await ScanAsync(desk, new { clientId = NextClientId(), kind = "checkin", siteId = site, people = new[] { people[4] }, walkIn = true, days = 7, testDays = WalkInTestDays });
        var twice = await CheckInAsync(desk, site, people[0]);

        Assert.True(family.Status == 201, family.Body.ToString());
        Assert.Equal(("F02", "family", 3), (family.Body.GetProperty("room").GetString(), family.Body.GetProperty("roomKind").GetString(), family.Body.GetProperty("beds").GetArrayLength()));
        Assert.Equal("not_referred", stranger.Body.Code());
        Assert.True(walkIn.Status == 201, walkIn.Body.ToString());
        Assert.Equal("single", walkIn.Body.GetProperty("roomKind").GetString());
        Assert.Equal("already_checked_in", twice.Body.Code());
        // The one left takes the last family room alone; then nothing is free.
        Assert.Equal("F01", (await CheckInAsync(desk, site, people[3])).Body.GetProperty("room").GetString());
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM quarantine_referrals"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM quarantine_stays WHERE walk_in = 1"));
        // Each stay's test days are tasks at the site's division, due at the end of the day.
        Assert.Equal(4 * 4 + 2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tasks WHERE kind = 'quarantine_test' AND division = @d", new { d = People.Qingzhou }));
        Assert.True(app.Errors.Entries.Count == 0, app.Errors.ToString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ATransferOrder_PicksUp_MissesWithATaskToTheVillage_AndHandsOverIntoTheCheckIn(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var site = await SiteAsync(world.Admin, 4, [3]);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang);
        var ids = new List<long>();
        foreach (var person in people)
        {
            Assert.Equal(201, (await ReferAsync(world.Admin, person)).Status);
        }
        using var worker = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        var awaiting = await worker.GetFromJsonAsync<JsonElement>("/api/v1/quarantine/referrals");
        ids.AddRange(awaiting.EnumerateArray().Select(r => r.GetProperty("residentId").GetInt64()));
        Assert.Equal(3, ids.Count);
        Assert.DoesNotContain(people[0], awaiting.ToString(), StringComparison.Ordinal);

        var (created, order) = await AnswerAsync(await worker.PostAsJsonAsync("/api/v1/transfers", new { plate = "冀J·12345", team = "司马庄转运组", siteId = site, residentIds = ids }));
        Assert.True(created == 201, order.ToString());
        var orderId = order.GetProperty("id").GetInt64();
        object Step(string step, string person) => new { clientId = NextClientId(), kind = step, orderId, people = new[] { person }, lat = 38.58, lon = 116.83 };
        var picked = await ScanAsync(worker, Step("pickup", people[0]));
        var picked2 = await ScanAsync(worker, Step("pickup", people[1]));
        var missed = await ScanAsync(worker, Step("missed", people[2]));
        Assert.Equal((200, 200, 200), (picked.Status, picked2.Status, missed.Status));
        Assert.Equal("not_on_order", (await ScanAsync(worker, Step("pickup", people[0]))).Body.Code());
        var tasks = await worker.GetFromJsonAsync<JsonElement>("/api/v1/tasks?kind=transfer_missed");
        Assert.Equal(missed.Body.GetProperty("residentId").GetInt64(), tasks.EnumerateArray().Single().GetProperty("residentId").GetInt64());

        using var desk = await app.ClientAsync("desk", Roles.QuarantineStaff, People.Qingzhou);
        var refused = await ScanAsync(desk, new { clientId = NextClientId(), kind = "handover", orderId, people = new[] { people[0], people[2] } });
        Assert.Equal("not_picked_up", refused.Body.Code());
        var handed = await ScanAsync(desk, new { clientId = NextClientId(), kind = "handover", orderId, people = new[] { people[0], people[1] } });
        Assert.True(handed.Status == 201, handed.Body.ToString());
        Assert.Equal("family", handed.Body.GetProperty("roomKind").GetString());

        // Found later: a second pick-up closes the village's task.
        Assert.Equal(200, (await ScanAsync(worker, Step("pickup", people[2]))).Status);
        Assert.Empty((await worker.GetFromJsonAsync<JsonElement>("/api/v1/tasks?kind=transfer_missed")).EnumerateArray());
        var view = await desk.GetFromJsonAsync<JsonElement>($"/api/v1/transfers/{orderId}");
        Assert.Equal((1, 2, 0), (view.GetProperty("pickedUp").GetInt32(), view.GetProperty("handedOver").GetInt32(), view.GetProperty("missed").GetInt32()));
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM quarantine_referrals WHERE state = 'checked_in'"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM quarantine_referrals WHERE state = 'in_transfer'"));

        // The big screen's numbers, live and recounted from the tables alike.
        var metrics = new[] { "quarantine.awaiting_transfer", "quarantine.in_transfer", "quarantine.occupied_beds", "quarantine.checkins" };
        var live = await NumbersAsync(world, metrics);
        await app.Get<Fangyi.Core.Counters.Counters>().RecountAsync();
        Assert.Equal([0, 1, 2, 2], live);
        Assert.Equal(live, await NumbersAsync(world, metrics));

        // The person page's timeline: referred, picked up, handed over, checked in with room and bed.
        var handedOver = handed.Body.GetProperty("beds")[0].GetProperty("residentId").GetInt64();
        var timeline = await new Fangyi.Features.Quarantine.QuarantineTimeline(app.Store).ForResidentAsync(handedOver, default);
        // (The hand-over and the check-in are one scan, at one time.)
        Assert.Equal(["入住青县隔离酒店", "转为集中隔离，待转运", "转运交接至隔离点"], timeline.Select(e => e.Title).Order(StringComparer.Ordinal).ToList());
        Assert.Equal("转为集中隔离，待转运", timeline[^1].Title);
        Assert.Contains("2号楼栋 F01 房 1 床", timeline.Single(e => e.Title.StartsWith("入住", StringComparison.Ordinal)).Detail, StringComparison.Ordinal);
        Assert.True(app.Errors.Entries.Count == 0, app.Errors.ToString());
    }

    private static async Task<double[]> NumbersAsync(SamplingWorld world, string[] metrics)
    {
        var view = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/dashboard/view?round={world.RoundId}");
        return metrics.Select(m => view.GetProperty("here").GetProperty("numbers").TryGetProperty(m, out var v) ? v.GetDouble() : double.NaN).ToArray();
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task TheDoorShowsRedDuringTheStay_AndReleaseNeedsTheDaysServedAndANegativeSingleTubeOnEveryTestDay(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var site = await SiteAsync(world.City, 5);
        var people = await world.ResidentsAsync(3);     // untested, negative, positive
        foreach (var person in people)
        {
            Assert.Equal(201, (await ReferAsync(world.City, person, days: 1, testDays: [1])).Status);
        }
        var referred = await world.AnswerAsync("mall", people[0]);
        Assert.Equal(("red", "集中隔离"), (referred.GetProperty("facts").GetProperty("colour").GetProperty("value").GetString(), referred.GetProperty("facts").GetProperty("colour").GetProperty("reason").GetString()));
        await world.App.CreateAccountAsync("desk", Roles.QuarantineStaff, People.Qingzhou);
        var ids = new List<long>();
        using (var desk = await world.SignInAsync("desk"))
        {
            foreach (var person in people)
            {
                var (status, answer) = await CheckInAsync(desk, site, person);
                Assert.Equal(201, status);
                ids.Add(answer.GetProperty("beds")[0].GetProperty("residentId").GetInt64());
            }
            Assert.Equal("release_not_due", (await ScanAsync(desk, new { clientId = NextClientId(), kind = "release", people = new[] { people[1] } })).Body.Code());
        }
        await world.SampleAsync([people[1]], "negative");
        await world.SampleAsync([people[2]], "positive");
        Assert.Equal("red", (await world.AnswerAsync("mall", people[1])).GetProperty("facts").GetProperty("colour").GetProperty("value").GetString());

        world.Clock.Advance(TimeSpan.FromDays(1));
        using var later = await world.SignInAsync("desk");
        var untested = await ScanAsync(later, new { clientId = NextClientId(), kind = "release", people = new[] { people[0] } });
        var positive = await ScanAsync(later, new { clientId = NextClientId(), kind = "release", people = new[] { people[2] } });
        var released = await ScanAsync(later, new { clientId = NextClientId(), kind = "release", people = new[] { people[1] } });
        var hospital = await ScanAsync(later, new { clientId = NextClientId(), kind = "to_hospital", people = new[] { people[2] } });

        Assert.Equal(("tests_missing", "缺少第1天的单管阴性结果"), (untested.Body.Code(), untested.Body.GetProperty("detail").GetString()));
        Assert.Equal("test_positive", positive.Body.Code());
        Assert.True(released.Status == 200, released.Body.ToString());
        Assert.StartsWith("JC", released.Body.GetProperty("certificateNo").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, hospital.Status);
        using var pdf = await later.GetAsync($"/api/v1/quarantine/stays/{ids[1]}/certificate");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = Poppler.Text(Poppler.Save(await pdf.Content.ReadAsByteArrayAsync(), $"release-{kind}"));
        Assert.Contains("解除隔离证明", text, StringComparison.Ordinal);
        Assert.Contains(released.Body.GetProperty("certificateNo").GetString()!, text, StringComparison.Ordinal);
        Assert.Contains(people[1][..3] + "***********" + people[1][14..], text, StringComparison.Ordinal);
        Assert.DoesNotContain(people[1], text, StringComparison.Ordinal);
        Assert.Equal("certificate_not_issued", (await AnswerAsync(await later.GetAsync($"/api/v1/quarantine/stays/{ids[0]}/certificate"))).Body.Code());
        await world.App.Get<StatusIndexHost>().CatchUpAsync();
        Assert.NotEqual("集中隔离", (await world.AnswerAsync("mall", people[1])).GetProperty("facts").GetProperty("colour").GetProperty("reason").GetString());
        Assert.Equal("red", (await world.AnswerAsync("mall", people[0])).GetProperty("facts").GetProperty("colour").GetProperty("value").GetString());
        Assert.True(world.App.Errors.Entries.Count == 0, world.App.Errors.ToString());
    }
}
