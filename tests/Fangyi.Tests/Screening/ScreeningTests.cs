using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Features.Checkpoint;
using Fangyi.Tests.Checkpoint;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Screening;

/// <summary>
/// The to-be-screened pool: one case per person whatever the sources, routing down the tree, provisional cases merged
/// when identified, jurisdiction on writes, decisions under the rules with their hold at the door, handovers.
/// </summary>
public class ScreeningTests
{
    private static readonly string[] Alone = ["独居"];
    private static readonly string[] Mixed = ["混管阳性"];
    private static readonly string[] NoContact = ["核实无接触"];
    private static readonly int[] DayOne = [1];

    private static int _phones;

    private static string NewPhone() => $"139{Interlocked.Increment(ref _phones):D8}";

    // A resident with a phone in a village: (ID number, phone).
    private static async Task<(string Id, string Phone)> ResidentAsync(CheckpointWorld world, long village, string name)
    {
        var (number, phone) = (People.NewId(), NewPhone());
        await CheckpointWorld.Ok(await world.City.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name, phone, division = People.Code(village) }));
        return (number, phone);
    }

    private static async Task<JsonElement> PushAsync(HttpClient client, string reason, params object[] rows) =>
        await CheckpointWorld.Ok(await client.PostAsJsonAsync("/api/v1/screening/pushes", new { reason, rows }));

    private static async Task<JsonElement[]> CasesAsync(HttpClient client, string query = "") =>
        (await CheckpointWorld.Ok(await client.GetAsync("/api/v1/screening/cases" + query))).EnumerateArray().ToArray();

    private static async Task<JsonElement> CaseAsync(HttpClient client, long id) =>
        await CheckpointWorld.Ok(await client.GetAsync($"/api/v1/screening/cases/{id}"));

    private static long CaseOf(JsonElement[] cases, string idMasked) =>
        cases.Single(c => c.GetProperty("idMasked").GetString() == idMasked).GetProperty("id").GetInt64();

    private static async Task<(int Status, JsonElement Body)> StepAsync(HttpClient client, long id, string step, object body)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/screening/cases/{id}/{step}", body);
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task OnePerson_FromEverySource_IsOneCase_RoutedToTheirVillage_AndProvisionalCasesMergeWhenIdentified(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        using var worker = await world.App.ClientAsync("worker-smz", Roles.VillageWorker, Villages.Simazhuang);
        var a = await ResidentAsync(world, Villages.Simazhuang, "甲某");
        var b = await ResidentAsync(world, Villages.Simazhuang, "乙某");
        var c = await ResidentAsync(world, Villages.Xicheng, "丙某");
        var stranger = People.NewId(region: 130922, year: 1990);
        var unknownPhone = NewPhone();

        // A push naming a by number, b by number, c by phone only, a stranger by number with an address, a phone nobody
        // holds, and a bad row: five cases, one refused row.
        var first = await PushAsync(world.City, "时空伴随",
            new { idNumber = a.Id }, new { idNumber = b.Id }, new { phone = c.Phone }, new { idNumber = stranger, name = "外来某", address = "沧州市青县清州镇司马庄村5排3号" },
            new { phone = unknownPhone, name = "未知某" }, new { idNumber = "130922198501011234" });
        Assert.Equal((6, 5, 5, 0), (first.GetProperty("total").GetInt32(), first.GetProperty("imported").GetInt32(), first.GetProperty("created").GetInt32(), first.GetProperty("known").GetInt32()));
        var error = Assert.Single(first.GetProperty("errors").EnumerateArray());
        Assert.Equal((6, "身份证号"), (error.GetProperty("row").GetInt32(), error.GetProperty("column").GetString()));

        // The same people again from a second push and door to door: no new case, one entry more each.
        var second = await PushAsync(world.City, "涉疫场所", new { idNumber = a.Id }, new { phone = c.Phone, idNumber = c.Id });
        Assert.Equal((0, 2), (second.GetProperty("created").GetInt32(), second.GetProperty("known").GetInt32()));
        var door = await worker.PostAsJsonAsync("/api/v1/screening/door", new { clientId = "door-1", idNumber = a.Id, reason = "上门发现发热" });
        Assert.True(door.IsSuccessStatusCode, await door.Content.ReadAsStringAsync());
        // The phone's queue sends it again: the same answer, and no entry more (a's three entries below).
        var again = await worker.PostAsJsonAsync("/api/v1/screening/door", new { clientId = "door-1", idNumber = a.Id, reason = "上门发现发热" });
        Assert.Equal(await door.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());

        var village = await CasesAsync(worker);
        Assert.Equal(3, village.Length);   // a, b and the stranger by address; c lives in 西城
        var caseA = CaseOf(village, Fangyi.Core.Identity.IdNumber.Mask(a.Id));
        var detailA = await CaseAsync(worker, caseA);
        Assert.Equal(3, detailA.GetProperty("entries").GetArrayLength());
        Assert.Equal(["push", "door"], detailA.GetProperty("case").GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("甲某", detailA.GetProperty("name").GetString());
        Assert.Equal(a.Phone, detailA.GetProperty("phone").GetString());
        Assert.Equal("甲*", village.Single(v => v.GetProperty("id").GetInt64() == caseA).GetProperty("name").GetString());
        var byAddress = village.Single(v => v.GetProperty("idMasked").GetString() == Fangyi.Core.Identity.IdNumber.Mask(stranger));
        Assert.Equal(("address", false), (byAddress.GetProperty("route").GetString(), byAddress.GetProperty("provisional").GetBoolean()));

        // 时空伴随 is urgent: the verify task is due in two hours, on the worker's list.
        var tasks = (await CheckpointWorld.Ok(await worker.GetAsync("/api/v1/tasks?kind=screen"))).EnumerateArray().ToArray();
        Assert.True(tasks.Length == 2, string.Join("\n", tasks.Select(t => t.ToString())));
        var now = world.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.All(tasks, t => Assert.InRange(t.GetProperty("dueAt").GetInt64(), now + 2 * 3_600_000 - 5_000, now + 2 * 3_600_000 + 5_000));

        // The unknown phone waits in the city's unassigned queue as a provisional case; identified as b, it merges into b's case.
        var queue = await CasesAsync(world.City, "?unassigned=true");
        var provisional = Assert.Single(queue, q => q.GetProperty("provisional").GetBoolean());
        var merged = await StepAsync(world.City, provisional.GetProperty("id").GetInt64(), "identify", new { clientId = "id-1", idNumber = b.Id });
        Assert.Equal(200, merged.Status);
        var caseB = CaseOf(await CasesAsync(worker), Fangyi.Core.Identity.IdNumber.Mask(b.Id));
        Assert.Equal(caseB, merged.Body.GetProperty("id").GetInt64());
        var detailB = await CaseAsync(world.City, caseB);
        Assert.Equal(2, detailB.GetProperty("entries").GetArrayLength());
        Assert.Contains(detailB.GetProperty("steps").EnumerateArray(), s => s.GetProperty("kind").GetString() == "merged");
        Assert.Empty(await CasesAsync(world.City, "?unassigned=true"));

        // 丙某 in 西城: named by phone, then by number and phone, still one case.
        var xicheng = await CasesAsync(world.City, $"?division={Villages.Xicheng}");
        Assert.Equal(2, Assert.Single(xicheng).GetProperty("entries").GetInt32());

        // 沧县 cannot write a 青县 person into any pool: the row is refused, the person's case is untouched.
        using var cangxian = await world.App.ClientAsync("cangxian", Roles.Admin, People.Cangxian);
        var outside = await PushAsync(cangxian, "时空伴随", new { idNumber = a.Id });
        Assert.Equal((0, "该人员居住地不在您的辖区，请通过区域协查移交"), (outside.GetProperty("imported").GetInt32(), outside.GetProperty("errors")[0].GetProperty("reason").GetString()));
        Assert.Equal(3, (await CaseAsync(worker, caseA)).GetProperty("entries").GetArrayLength());
        Assert.Empty(await CasesAsync(cangxian, "?state=all"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ADecision_UnderTheRules_HoldsThePersonAtTheDoor_UntilItsEnd_AndClearingHoldsNothing(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        using var worker = await world.App.ClientAsync("worker-smz", Roles.VillageWorker, Villages.Simazhuang);
        var a = await ResidentAsync(world, Villages.Simazhuang, "甲某");
        var b = await ResidentAsync(world, Villages.Simazhuang, "乙某");
        await world.SampleAsync([a.Id, b.Id], "negative");
        await PushAsync(world.City, "来自中高风险区", new { idNumber = a.Id }, new { idNumber = b.Id });
        var cases = await CasesAsync(worker);
        var (caseA, caseB) = (CaseOf(cases, Fangyi.Core.Identity.IdNumber.Mask(a.Id)), CaseOf(cases, Fangyi.Core.Identity.IdNumber.Mask(b.Id)));
        Assert.Equal(Verdicts.Pass, (await world.AnswerAsync("mall", a.Id)).GetProperty("verdict").GetString());

        // Not reached: nothing can be decided yet but the attempt is kept.
        Assert.Equal(200, (await StepAsync(worker, caseA, "verify", new { clientId = "v-1", reached = false, method = "call" })).Status);
        var notReached = await StepAsync(worker, caseA, "decide", new { clientId = "d-0", category = "high_risk_arrival" });
        Assert.Equal((409, "case_not_reached"), (notReached.Status, notReached.Body.GetProperty("code").GetString()));
        var unknown = await StepAsync(worker, caseA, "decide", new { clientId = "d-00", reached = true, category = "no_such_thing" });
        Assert.Equal((400, "category_unknown"), (unknown.Status, unknown.Body.GetProperty("code").GetString()));

        // Reached at home, decided: home isolation 7 days, then 3 days of monitoring; red at every door with reason and end.
        var decided = await StepAsync(worker, caseA, "decide", new { clientId = "d-1", reached = true, method = "visit", whereabouts = "在家", tags = Alone, category = "high_risk_arrival" });
        Assert.Equal(200, decided.Status);
        var now = world.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        const long day = 86_400_000;
        Assert.Equal(("home_isolation", now + 7 * day), (decided.Body.GetProperty("state").GetString(), decided.Body.GetProperty("holdUntil").GetInt64()));
        var red = await world.AnswerAsync("mall", a.Id);
        var colour = red.GetProperty("facts").GetProperty("colour");
        Assert.Equal(("red", "居家隔离（高风险地区来返）", "hold"), (colour.GetProperty("value").GetString(), colour.GetProperty("reason").GetString(), colour.GetProperty("source").GetString()));
        Assert.InRange(colour.GetProperty("until").GetInt64(), now + 7 * day - 1_000, now + 7 * day + 1_000);
        Assert.Equal((Verdicts.Check, Prompts.RedCode), (red.GetProperty("verdict").GetString(), red.GetProperty("promptKey").GetString()));

        // Its tests are tasks on days 1, 3 and 7; the verify task is done.
        var tasks = (await CheckpointWorld.Ok(await worker.GetAsync("/api/v1/tasks?state=all"))).EnumerateArray()
            .Where(t => t.GetProperty("idMasked").GetString() == Fangyi.Core.Identity.IdNumber.Mask(a.Id)).ToArray();
        var tests = tasks.Where(t => t.GetProperty("kind").GetString() == "isolation_test").Select(t => t.GetProperty("dueAt").GetInt64()).Order().ToList();
        Assert.Equal([now + day, now + 3 * day, now + 7 * day], tests);
        Assert.Contains(tasks, t => t.GetProperty("kind").GetString() == "screen" && t.GetProperty("state").GetString() == "done" && t.GetProperty("reason").GetString() == "decided");

        // Decided once: a second decision is refused; the decision names the rules' version.
        var twice = await StepAsync(worker, caseA, "decide", new { clientId = "d-2", reached = true, category = "cleared", clearReason = "核实无接触" });
        Assert.Equal((409, "case_decided"), (twice.Status, twice.Body.GetProperty("code").GetString()));
        Assert.Equal("default-1", (await CaseAsync(worker, caseA)).GetProperty("policyVersion").GetString());

        // Cleared with a reason: b stays green.
        var badReason = await StepAsync(worker, caseB, "decide", new { clientId = "d-3", category = "cleared", clearReason = "不想管" });
        Assert.Equal((400, "clear_reason_invalid"), (badReason.Status, badReason.Body.GetProperty("code").GetString()));
        Assert.Equal(200, (await StepAsync(worker, caseB, "decide", new { clientId = "d-4", category = "cleared", clearReason = "核实无接触" })).Status);
        Assert.Equal("green", (await world.AnswerAsync("mall", b.Id)).GetProperty("facts").GetProperty("colour").GetProperty("value").GetString());

        // Rebuilt from the store (as at a start), the hold is read back from the case; when the isolation ends the
        // monitoring days are yellow, then the door is green.
        world.App.Get<StatusIndex>().RequestRefresh((await CaseAsync(worker, caseA)).GetProperty("case").GetProperty("residentId").GetInt64());
        await world.App.Get<StatusIndexHost>().CatchUpAsync();
        Assert.Equal("red", (await world.AnswerAsync("mall", a.Id)).GetProperty("facts").GetProperty("colour").GetProperty("value").GetString());
        world.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await world.App.Get<Fangyi.Features.Screening.ScreeningStatus>().RefreshEndedAsync(now + 7 * day - 60_000, default);
        await world.App.Get<StatusIndexHost>().CatchUpAsync();
        var monitored = (await world.AnswerAsync("mall", a.Id)).GetProperty("facts").GetProperty("colour");
        Assert.Equal(("yellow", "居家健康监测"), (monitored.GetProperty("value").GetString(), monitored.GetProperty("reason").GetString()));
        world.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal("green", (await world.AnswerAsync("mall", a.Id)).GetProperty("facts").GetProperty("colour").GetProperty("value").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ACase_HandedToAnotherCounty_StaysHereUntilAccepted_ThenIsTheirs_WithItsHistory(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        using var qingxian = await world.App.ClientAsync("qingxian", Roles.Admin, People.Qingxian);
        using var cangxian = await world.App.ClientAsync("cangxian", Roles.Admin, People.Cangxian);
        var stranger = People.NewId(region: 130921, year: 1992);
        // A number the registry does not know and no address: 青县's unassigned queue.
        await PushAsync(qingxian, "时空伴随", new { idNumber = stranger, name = "流动某" });
        var queued = Assert.Single(await CasesAsync(qingxian, "?unassigned=true"));
        var id = queued.GetProperty("id").GetInt64();
        Assert.Equal(People.Qingxian, queued.GetProperty("division").GetInt64());

        // 沧县 cannot accept what was not handed to it, nor see it.
        Assert.Equal(404, (await StepAsync(cangxian, id, "accept", new { clientId = "a-0" })).Status);
        Assert.Equal(200, (await StepAsync(qingxian, id, "handover", new { clientId = "h-1", toDivision = People.Cangxian, note = "实际居住在沧县东关村" })).Status);
        Assert.Single(await CasesAsync(qingxian, "?unassigned=true"));
        var handed = Assert.Single(await CasesAsync(cangxian, "?handedToUs=true"));
        Assert.Equal(id, handed.GetProperty("id").GetInt64());

        // Accepted straight to 东关村: the case is 沧县's, 青县 sees it no more; both steps are in its history.
        var accepted = await StepAsync(cangxian, id, "accept", new { clientId = "a-1", toDivision = Villages.Dongguan });
        Assert.Equal((200, Villages.Dongguan), (accepted.Status, accepted.Body.GetProperty("division").GetInt64()));
        Assert.Empty(await CasesAsync(qingxian));
        var detail = await CaseAsync(cangxian, id);
        Assert.Equal(["handover", "accept"], detail.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("kind").GetString()!));
        Assert.Equal("河北省沧州市青县", detail.GetProperty("steps")[0].GetProperty("from").GetString());
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await qingxian.GetAsync($"/api/v1/screening/cases/{id}")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task APositiveTubeAndAnOverlappingPush_AreDecided_Referred_CheckedIn_Tested_AndReleasedToMonitoring(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        using var worker = await world.App.ClientAsync("worker-smz", Roles.VillageWorker, Villages.Simazhuang);
        // Rules of the day: a close contact is held one day at a site, tested on day 1, then monitored three days.
        var rules = JsonSerializer.Serialize(new
        {
            version = "loop-1",
            verifyHighHours = 2,
            verifyNormalHours = 24,
            highPriorityReasons = Mixed,
            categories = new Dictionary<string, object>
            {
                ["close_contact"] = new { name = "密切接触者", action = "centralised", days = 1, monitorDays = 3, testDays = DayOne },
                ["cleared"] = new { name = "排除", action = "cleared" },
            },
            clearReasons = NoContact,
        });
        using (var body = new StringContent(rules, System.Text.Encoding.UTF8, "application/json"))
        {
            await CheckpointWorld.Ok(await world.City.PostAsync("/api/v1/screening/policy", body));
        }
        var people = await world.ResidentsAsync(10);
        await world.SampleAsync(people, "positive");
        var push = await PushAsync(world.City, "时空伴随", people.Take(3).Select(p => (object)new { idNumber = p }).Append(new { idNumber = People.NewId(year: 1991), address = "沧州市青县清州镇司马庄村" }).ToArray());
        Assert.Equal((1, 3), (push.GetProperty("created").GetInt32(), push.GetProperty("known").GetInt32()));
        var cases = await CasesAsync(worker);
        Assert.Equal(11, cases.Length);
        Assert.Equal(3, cases.Count(c => c.GetProperty("entries").GetInt32() == 2));
        Assert.All(cases.Where(c => c.GetProperty("residentId").ValueKind == JsonValueKind.Number), c => Assert.Equal("positive", c.GetProperty("sources")[0].GetString()));

        // The worker decides the first a close contact and clears the second.
        var (first, second) = (CaseOf(cases, Fangyi.Core.Identity.IdNumber.Mask(people[0])), CaseOf(cases, Fangyi.Core.Identity.IdNumber.Mask(people[1])));
        var decided = await StepAsync(worker, first, "decide", new { clientId = "l-1", reached = true, category = "close_contact" });
        Assert.Equal((200, "awaiting_transfer"), (decided.Status, decided.Body.GetProperty("state").GetString()));
        Assert.Equal(200, (await StepAsync(worker, second, "decide", new { clientId = "l-2", category = "cleared", clearReason = "核实无接触" })).Status);
        Assert.Equal("red", (await world.AnswerAsync("mall", people[0])).GetProperty("facts").GetProperty("colour").GetProperty("value").GetString());

        // Checked in at the site from the referral the decision made; tested there; released after the day.
        var site = await Quarantine.QuarantineDesk.SiteAsync(world.City, 5);
        await world.App.CreateAccountAsync("desk", Roles.QuarantineStaff, People.Qingzhou);
        using (var desk = await world.SignInAsync("desk"))
        {
            Assert.Equal(201, (await Quarantine.QuarantineDesk.CheckInAsync(desk, site, people[0])).Status);
        }
        Assert.Equal("quarantined", (await CaseAsync(worker, first)).GetProperty("case").GetProperty("state").GetString());
        await world.SampleAsync([people[0]], "negative");
        world.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        using (var desk = await world.SignInAsync("desk"))
        {
            var released = await Quarantine.QuarantineDesk.ScanAsync(desk, new { clientId = Quarantine.QuarantineDesk.NextClientId(), kind = "release", people = new[] { people[0] } });
            Assert.True(released.Status == 200, released.Body.ToString());
        }
        using var nextDay = await world.SignInAsync("worker-smz");   // yesterday's session has ended
        var after = await CaseAsync(nextDay, first);
        Assert.Equal("monitoring", after.GetProperty("case").GetProperty("state").GetString());
        Assert.Equal(["decide", "referred", "checked_in", "released"], after.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("kind").GetString()!));
        await world.App.Get<StatusIndexHost>().CatchUpAsync();
        var colour = (await world.AnswerAsync("mall", people[0])).GetProperty("facts").GetProperty("colour");
        Assert.Equal(("yellow", "居家健康监测"), (colour.GetProperty("value").GetString(), colour.GetProperty("reason").GetString()));
        // The cleared one holds nothing of screening's: the door speaks of the pooled tube awaiting its retest.
        Assert.Equal("混管阳性待复核", (await world.AnswerAsync("mall", people[1])).GetProperty("facts").GetProperty("colour").GetProperty("reason").GetString());
    }
}
