using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Counters;
using Fangyi.Core.Status;
using Fangyi.Features.Sampling;
using Fangyi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Sampling;

/// <summary>
/// The lab's side of the chain: a box reconciled tube by tube with its discrepancies, a box that is done when
/// every tube is, the worklist with its overdue tubes, and a wrong result set right — with everyone in the tube,
/// the counters and the tasks following it.
/// </summary>
public class LabRuleTests
{
    private static readonly string[] Malformed = ["T123"];

    // A GET that says what the host logged when it fails.
    private static async Task<JsonElement> GetAsync(TestApp app, HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {app.Errors}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static void Refused((int Status, JsonElement Body) answer, string code)
    {
        Assert.True(answer.Status >= 400, answer.Body.ToString());
        Assert.Equal(code, answer.Body.GetProperty("code").GetString());
    }

    // A box of three sealed tubes, picked up and received (tubes counted by the box's own list).
    private static async Task<(string Box, List<string> Tubes, List<string> People)> ReceivedBoxAsync(SamplingWorld world, int boxIndex = 0, int firstTube = 0)
    {
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng, Villages.Xicheng, Villages.Simazhuang, Villages.Xicheng);
        var box = world.Boxes[boxIndex];
        var tubes = world.Tubes.Skip(firstTube).Take(3).ToList();
        Assert.Equal(201, (await world.OpenBoxAsync(box)).Status);
        for (var t = 0; t < 3; t++)
        {
            Assert.Equal(201, (await world.OpenTubeAsync(box, tubes[t], 5)).Status);
            Assert.Equal(201, (await world.AddAsync(tubes[t], people[2 * t])).Status);
            Assert.Equal(201, (await world.AddAsync(tubes[t], people[2 * t + 1])).Status);
            Assert.Equal(200, (await world.ActAsync(world.Sampler, "tube.seal", new { tube = tubes[t] })).Status);
        }
        Assert.Equal(200, (await world.ActAsync(world.Sampler, "box.seal", new { box })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Courier, "box.pickup", new { box })).Status);
        return (box, tubes, people);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task APickedUpBox_ScannedAgainByACourier_SaysItIsAlreadyInTransit_NotThatItIsUnsealed(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var (box, _, _) = await ReceivedBoxAsync(world);

        var again = await world.ActAsync(world.Courier, "box.pickup", new { box });

        Refused(again, "box_already_picked_up");
        Assert.DoesNotContain("尚未封箱", again.Body.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Reconciling_RecordsMissingExtraAndDamagedTubes_OpensTheBoxForTesting_AndCallsBackThePeopleOfUntestedTubes(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var (box, tubes, people) = await ReceivedBoxAsync(world);
        var stray = world.Tubes[20];

        Refused(await world.ActAsync(world.Lab, "box.reconcile", new { box, tubes = new[] { tubes[0] } }), "box_not_received");
        Assert.Equal(200, (await world.ActAsync(world.Lab, "box.receive", new { box })).Status);
        Refused(await world.ActAsync(world.Lab, "box.reconcile", new { box, tubes = Malformed }), "tube_list_invalid");
        var reconciled = await world.ActAsync(world.Lab, "box.reconcile", new { box, tubes = new[] { tubes[0], tubes[1], stray }, damaged = new[] { tubes[1] } });

        Assert.Equal(200, reconciled.Status);
        var body = reconciled.Body;
        Assert.Equal("testing", body.GetProperty("state").GetString());
        Assert.Equal([tubes[2]], body.GetProperty("missing").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal([stray], body.GetProperty("extra").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal([tubes[1]], body.GetProperty("damaged").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Contains("缺失1管", body.GetProperty("discrepancy").GetString(), StringComparison.Ordinal);
        Refused(await world.ActAsync(world.Lab, "box.reconcile", new { box, tubes = tubes }), "box_already_reconciled");

        // Untested tubes take no result, and their four people are asked to be sampled again.
        var results = await (await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube = tubes[1], result = "negative" }, new { tube = tubes[2], result = "negative" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.All(results.EnumerateArray(), r => Assert.False(r.GetProperty("accepted").GetBoolean()));
        var tasks = await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/sampling/retest-tasks");
        Assert.Equal(4, tasks.EnumerateArray().Count(t => t.GetProperty("reason").GetString() == "resample"));

        // The last tube's result closes the box: 检测完成, not 检测中.
        var last = await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube = tubes[0], result = "negative" } });
        Assert.True((await last.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("accepted").GetBoolean());
        var history = await world.Lab.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/boxes/{box}/history");
        Assert.Equal("done", history.GetProperty("current").GetProperty("state").GetString());

        await using var connection = await app.Store.OpenAsync();
        var found = (await connection.QueryAsync<(string Tube, string Kind)>("SELECT tube_code, kind FROM box_discrepancies WHERE box_code = @box ORDER BY kind", new { box })).ToList();
        Assert.Equal([(tubes[1], "damaged"), (stray, "extra"), (tubes[2], "missing")], found);
        var board = app.Services.GetRequiredService<Fangyi.Core.Counters.Counters>().Board;
        var layout = app.Services.GetRequiredService<CounterLayout>();
        Assert.Equal(2, board.Read(Period.Round(world.RoundId), Villages.Simazhuang, layout.Find(SamplingCounters.TubesPrefix + TubeStates.Rejected)!.Value));
        Assert.Equal(1, board.Read(Period.Round(world.RoundId), Villages.Simazhuang, layout.Find(SamplingCounters.BoxesPrefix + BoxStates.Done)!.Value));
        Assert.Equal(0, board.Read(Period.Round(world.RoundId), Villages.Simazhuang, layout.Find(SamplingCounters.LabBacklogPeople)!.Value));
        _ = people;
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task TheWorklist_ListsBoxesAtTheLab_AndTubesWithoutAResult_OverdueAfterTheTurnaround(StoreKind kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(kind, configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        var world = await SamplingWorld.CreateAsync(app);
        var (box, tubes, _) = await ReceivedBoxAsync(world);
        Assert.Equal(200, (await world.ActAsync(world.Lab, "box.receive", new { box })).Status);
        await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube = tubes[0], result = "negative" } });

        var fresh = await GetAsync(app, world.Lab, "/api/v1/lab/worklist");
        clock.Advance(TimeSpan.FromHours(7));
        using var lab = await app.SignInAsync("lab", TestApp.Password);
        var late = await GetAsync(app, lab, "/api/v1/lab/worklist");
        using var sampler = await app.SignInAsync("sampler", TestApp.Password);

        var listed = fresh.GetProperty("boxes").EnumerateArray().Single();
        Assert.Equal(box, listed.GetProperty("box").GetString());
        Assert.Equal("检测中", listed.GetProperty("stateName").GetString());
        Assert.Equal(tubes[1..], fresh.GetProperty("tubes").EnumerateArray().Select(t => t.GetProperty("tube").GetString()).Order().ToArray());
        Assert.Equal(0, fresh.GetProperty("overdue").GetInt32());
        Assert.Equal(2, late.GetProperty("overdue").GetInt32());
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await sampler.GetAsync("/api/v1/lab/worklist")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ACorrection_IsASecondAuditedEntry_AndEveryoneInTheTubeFollowsIt_StatusCountersAndTasks(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Xicheng, Villages.Simazhuang);
        var (_, tube) = await world.ReceivedTubeAsync(people, 10, 0, 0);
        await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube, result = "positive", ct = 31.0 } });
        var index = app.Services.GetRequiredService<StatusIndex>();
        var board = app.Services.GetRequiredService<Fangyi.Core.Counters.Counters>().Board;
        var layout = app.Services.GetRequiredService<CounterLayout>();
        var round = Period.Round(world.RoundId);
        long Count(long division, string metric) => board.Read(round, division, layout.Find(metric)!.Value);
        await using var connection = await app.Store.OpenAsync();
        var ids = (await connection.QueryAsync<long>("SELECT resident_id FROM samples WHERE tube_code = @tube", new { tube })).ToList();
        Assert.All(ids, id => Assert.Equal(NucleicState.MixedPositive, index.Read(index.FindByResident(id)).Facts.Result));
        Assert.Equal(3, (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/sampling/retest-tasks")).GetArrayLength());

        Refused(await world.ActAsync(world.Lab, "tube.correct", new { tube, result = "negative", reason = "录入错误" }), "action_unknown");
        var noReason = await world.Lab.PostAsJsonAsync("/api/v1/lab/corrections", new { tube, result = "negative" });
        var same = await world.Lab.PostAsJsonAsync("/api/v1/lab/corrections", new { tube, result = "positive", reason = "复核" });
        var corrected = await world.Lab.PostAsJsonAsync("/api/v1/lab/corrections", new { clientId = "fix-1", tube, result = "negative", reason = "仪器孔位录错，复核为阴性" });
        var retried = await world.Lab.PostAsJsonAsync("/api/v1/lab/corrections", new { clientId = "fix-1", tube, result = "negative", reason = "仪器孔位录错，复核为阴性" });

        Assert.Equal("correction_reason_missing", (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("correction_same", (await same.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(200, (int)corrected.StatusCode);
        Assert.Equal(200, (int)retried.StatusCode);
        Assert.All(ids, id => Assert.Equal(NucleicState.Negative, index.Read(index.FindByResident(id)).Facts.Result));
        Assert.Equal(0, (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/sampling/retest-tasks")).GetArrayLength());
        Assert.Equal(0, Count(Villages.Simazhuang, SamplingCounters.ResultMixedPositive));
        Assert.Equal(2, Count(Villages.Simazhuang, SamplingCounters.ResultNegative));
        Assert.Equal(1, Count(Villages.Xicheng, SamplingCounters.ResultNegative));
        Assert.Equal(0, Count(Villages.Simazhuang, SamplingCounters.TubesMixedPositive));
        Assert.Equal(1, Count(Villages.Simazhuang, SamplingCounters.TubesNegative));
        Assert.Equal("negative", await connection.ExecuteScalarAsync<string>("SELECT result FROM tubes WHERE code = @tube", new { tube }));
        var entry = (await connection.QueryAsync<(string Old, string New, string Reason)>("SELECT old_result, new_result, reason FROM result_corrections WHERE tube_code = @tube", new { tube })).Single();
        Assert.Equal(("positive", "negative", "仪器孔位录错，复核为阴性"), entry);
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_log WHERE action = 'lab.result_corrected' AND subject_id = @tube", new { tube }));

        // And back: a negative corrected to positive opens the retest tasks again.
        var back = await world.Lab.PostAsJsonAsync("/api/v1/lab/corrections", new { tube, result = "positive", reason = "复核为阳性" });
        Assert.Equal(3, (await back.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("retestTasks").GetInt32());
        Assert.Equal(3, (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/sampling/retest-tasks")).GetArrayLength());
        Assert.Equal(2, Count(Villages.Simazhuang, SamplingCounters.ResultMixedPositive));
        Assert.Equal(0, Count(Villages.Simazhuang, SamplingCounters.ResultNegative));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AResultRefusedBeforeReceipt_IsAcceptedOnceTheBoxIsReceived(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var (box, tubes, _) = await ReceivedBoxAsync(world);

        var early = await world.ScanAsync(world.Lab, new { clientId = "lab-row-1", action = "tube.result", tube = tubes[0], result = "negative" });
        Assert.Equal(200, (await world.ActAsync(world.Lab, "box.receive", new { box })).Status);
        var retried = await world.ScanAsync(world.Lab, new { clientId = "lab-row-1", action = "tube.result", tube = tubes[0], result = "negative" });

        Refused(early, "tube_not_received");
        Assert.Equal(200, retried.Status);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ACourier_IsOfferedTheLabsOfItsWholeCity(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        using var cityLab = await app.ClientAsync("citylab", Fangyi.Core.Jurisdiction.Roles.Lab, People.Cangzhou);
        using var countyLab = await app.ClientAsync("cangxianlab", Fangyi.Core.Jurisdiction.Roles.Lab, People.Cangxian);

        var labs = await world.Courier.GetFromJsonAsync<JsonElement>("/api/v1/sampling/labs");

        var names = labs.EnumerateArray().Select(l => l.GetProperty("username").GetString()!).Order().ToArray();
        Assert.Equal(["cangxianlab", "citylab", "lab"], names);
    }
}
