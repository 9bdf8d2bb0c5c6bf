using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Sampling;

public class SamplingRuleTests
{
    private static void Refused((int Status, JsonElement Body) answer, string code)
    {
        Assert.True(answer.Status >= 400, answer.Body.ToString());
        Assert.Equal(code, answer.Body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(answer.Body.GetProperty("title").GetString()));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ABox_IsRefusedOnceItsRoundHasEnded_ByTheHostsClock(StoreKind kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(kind, configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        var world = await SamplingWorld.CreateAsync(app);   // the round ends a day from now

        var during = await world.OpenBoxAsync(world.Boxes[0]);
        clock.Advance(TimeSpan.FromDays(2));
        using var sampler = await app.SignInAsync("sampler", TestApp.Password);   // the first token has expired too
        var after = await world.ScanAsync(sampler, new { clientId = world.NextClientId(), action = "box.open", box = world.Boxes[1], roundId = world.RoundId, siteId = world.SiteId });

        Assert.Equal(201, during.Status);
        Refused(after, "round_closed");
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task PositiveMixedTube_MarksAllTenAndCreatesARetestTaskInEachVillage(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        long[] villages = [Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng, Villages.Xicheng,
            Villages.Xiaoniuzhuang, Villages.Xiaoniuzhuang, Villages.Simazhuang, Villages.Xicheng, Villages.Xiaoniuzhuang];
        var people = await world.ResidentsAsync(villages);
        var (_, tube) = await world.ReceivedTubeAsync(people, 10, 0, 0);

        var upload = await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube, result = "阳性", ct = 28.5 } });

        var row = (await upload.Content.ReadFromJsonAsync<JsonElement>())[0];
        Assert.True(row.GetProperty("accepted").GetBoolean(), row.ToString());
        await using var connection = await app.Store.OpenAsync();
        var marked = (await connection.QueryAsync<string>("SELECT result FROM samples WHERE tube_code = @tube AND removed = @no", new { tube, no = false })).ToList();
        Assert.Equal(10, marked.Count);
        Assert.All(marked, r => Assert.Equal("mixed_positive", r));
        var tasks = (await connection.QueryAsync<(long Division, string Kind)>("SELECT division, kind FROM tasks WHERE source = @tube", new { tube })).ToList();
        Assert.Equal(villages.Order().ToArray(), tasks.Select(t => t.Division).Order().ToArray());
        Assert.All(tasks, t => Assert.Equal("retest", t.Kind));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task PositiveSingleTube_MakesThePersonPositive_AndInvalidAsksForResampling(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Xicheng);
        var (_, single) = await world.ReceivedTubeAsync([people[0]], 1, 0, 0);
        var (_, mixed) = await world.ReceivedTubeAsync([people[1]], 5, 1, 1);

        await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube = single, result = "positive" }, new { tube = mixed, result = "invalid" } });

        await using var connection = await app.Store.OpenAsync();
        Assert.Equal("positive", await connection.ExecuteScalarAsync<string>("SELECT result FROM samples WHERE tube_code = @single", new { single }));
        Assert.Equal("invalid", await connection.ExecuteScalarAsync<string>("SELECT result FROM samples WHERE tube_code = @mixed", new { mixed }));
        // The invalid tube asks for a re-sample; the positive person is not retested but screened (a case to verify).
        Assert.Equal(["resample", "screen"], (await connection.QueryAsync<string>("SELECT kind FROM tasks ORDER BY kind")).ToArray());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task TubeRules_CapacityOncePerTubeSealedTubeAndOneBox(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang);
        var (box, other, tube) = (world.Boxes[0], world.Boxes[1], world.Tubes[0]);
        await world.OpenBoxAsync(box);
        await world.OpenBoxAsync(other);
        await world.OpenTubeAsync(box, tube, capacity: 5);

        for (var i = 0; i < 5; i++)
        {
            var (status, body) = await world.AddAsync(tube, people[i]);
            Assert.Equal(201, status);
            Assert.Equal(i + 1, body.GetProperty("count").GetInt32());
            Assert.Equal(i == 4, body.GetProperty("full").GetBoolean());
        }
        Refused(await world.AddAsync(tube, people[5]), "tube_full");
        Refused(await world.AddAsync(tube, people[0]), "tube_full");
        Refused(await world.OpenTubeAsync(other, tube, 5), "tube_in_other_box");

        var second = world.Tubes[1];
        await world.OpenTubeAsync(box, second, 10);
        await world.AddAsync(second, people[5]);
        Refused(await world.AddAsync(second, people[5]), "person_in_tube");
        Refused(await world.AddAsync(second, people[5].ToLowerInvariant()), "person_in_tube");

        Assert.Equal(200, (await world.ActAsync(world.Sampler, "tube.seal", new { tube = second })).Status);
        Refused(await world.AddAsync(second, people[4]), "tube_sealed");
        Refused(await world.ActAsync(world.Sampler, "tube.seal", new { tube = second }), "tube_sealed");
        Refused(await world.OpenTubeAsync(box, world.Tubes[2], 3), "capacity_invalid");

        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(5, await connection.ExecuteScalarAsync<long>("SELECT people FROM tubes WHERE code = @tube", new { tube }));
        Assert.Equal(6, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM samples"));
        Assert.Equal(6, await connection.ExecuteScalarAsync<long>("SELECT people FROM boxes WHERE code = @box", new { box }));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task BoxRules_SealOnceAndOnlySealedBoxesTravel(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang);
        var (box, tube) = (world.Boxes[0], world.Tubes[0]);
        await world.OpenBoxAsync(box);
        Refused(await world.ActAsync(world.Sampler, "box.seal", new { box }), "box_empty");
        await world.OpenTubeAsync(box, tube, 10);
        await world.AddAsync(tube, people[0]);

        Refused(await world.ActAsync(world.Sampler, "box.seal", new { box }), "box_has_open_tube");
        Refused(await world.ActAsync(world.Courier, "box.pickup", new { box }), "box_not_sealed");
        await world.ActAsync(world.Sampler, "tube.seal", new { tube });
        var sealedBox = await world.ActAsync(world.Sampler, "box.seal", new { box });
        Assert.Equal(200, sealedBox.Status);
        Assert.Equal(1, sealedBox.Body.GetProperty("tubes").GetInt32());
        Assert.Equal(1, sealedBox.Body.GetProperty("people").GetInt32());
        Refused(await world.ActAsync(world.Sampler, "box.seal", new { box }), "box_already_sealed");
        Refused(await world.OpenTubeAsync(box, world.Tubes[1], 10), "box_not_open");
        Refused(await world.ActAsync(world.Sampler, "box.pickup", new { box }), "forbidden"); // a sampler is not a courier
        Assert.Equal(200, (await world.ActAsync(world.Courier, "box.pickup", new { box, location = "38.59,116.84" })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Courier, "box.handover", new { box, to = "检测中心" })).Status);
        var received = await world.ActAsync(world.Lab, "box.receive", new { box, tubesCounted = 2 });
        Assert.Equal(200, received.Status);
        Assert.Equal("箱内登记1管，实收2管", received.Body.GetProperty("discrepancy").GetString());
        Refused(await world.ActAsync(world.Lab, "box.receive", new { box }), "box_already_received");
        var history = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/boxes/{box}/history");
        var pickup = history.GetProperty("events").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "box.pickup" && e.GetProperty("accepted").GetBoolean());
        Assert.Contains("38.59,116.84", pickup.GetProperty("payload").GetString(), StringComparison.Ordinal);
        Assert.Equal("courier", pickup.GetProperty("username").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Codes_MustBeWellFormedAndIssued(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var box = world.Boxes[0];
        var mistyped = box[..10] + (box[10] == '9' ? '0' : (char)(box[10] + 1));
        var notIssued = new Fangyi.Features.Sampling.SampleCode(Fangyi.Features.Sampling.CodeType.Box, 999_000_001).ToString();

        Refused(await world.OpenBoxAsync(mistyped), "box_code_invalid");
        Refused(await world.OpenBoxAsync(notIssued), "code_not_issued");
        Refused(await world.OpenBoxAsync(world.Tubes[0]), "box_code_invalid");
        Refused(await world.OpenTubeAsync(box, world.Tubes[0]), "box_unknown");
        Refused(await world.AddAsync(world.Tubes[0], People.NewId()), "tube_unknown");

        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM boxes"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Results_ForUnknownTubesOrConflicting_AreRefusedPerRow(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang);
        var (_, tube) = await world.ReceivedTubeAsync(people, 10, 0, 0);
        var unreceived = world.Tubes[5];

        var first = await (await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new object[]
        {
            new { tube, result = "negative" },
            new { tube = unreceived, result = "negative" },
            new { tube = "T12345", result = "negative" },
            new { tube, result = "maybe" },
        })).Content.ReadFromJsonAsync<JsonElement>();
        var again = await (await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new object[]
        {
            new { tube, result = "negative" },
            new { tube, result = "positive" },
        })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal([(1, true, null), (2, false, "tube_unknown"), (3, false, "tube_code_invalid"), (4, false, "result_invalid")],
            first.EnumerateArray().Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("accepted").GetBoolean(), r.GetProperty("code").GetString())).ToArray());
        Assert.True(again[0].GetProperty("accepted").GetBoolean());
        Assert.Equal("result_conflict", again[1].GetProperty("code").GetString());
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal("negative", await connection.ExecuteScalarAsync<string>("SELECT result FROM tubes WHERE code = @tube", new { tube }));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task SamePersonTwiceInARound_IsAcceptedAndFlagged_AndTheLastCanBeRemoved(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang);
        var box = world.Boxes[0];
        await world.OpenBoxAsync(box);
        await world.OpenTubeAsync(box, world.Tubes[0], 10);
        await world.OpenTubeAsync(box, world.Tubes[1], 10);
        await world.AddAsync(world.Tubes[0], people[0]);
        await world.AddAsync(world.Tubes[0], people[1]);

        var again = await world.AddAsync(world.Tubes[1], people[0]);
        var removed = await world.ActAsync(world.Sampler, "sample.remove_last", new { tube = world.Tubes[0] });

        Assert.Equal(201, again.Status);
        Assert.True(again.Body.GetProperty("repeatInRound").GetBoolean());
        Assert.Equal(200, removed.Status);
        Assert.Equal(1, removed.Body.GetProperty("count").GetInt32());
        var history = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/tubes/{world.Tubes[0]}/history");
        var person = Assert.Single(history.GetProperty("people").EnumerateArray());
        Assert.Equal(people[0][..3] + "***********" + people[0][14..], person.GetProperty("idMasked").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AScanRepeatedWithItsClientId_IsOneSample(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang);
        await world.OpenBoxAsync(world.Boxes[0]);
        await world.OpenTubeAsync(world.Boxes[0], world.Tubes[0], 10);
        var scan = new { clientId = "phone-7-0001", action = "sample.add", tube = world.Tubes[0], person = people[0] };

        var first = await world.ScanAsync(world.Sampler, scan);
        var retry = await world.ScanAsync(world.Sampler, scan);

        Assert.Equal((201, first.Body.ToString()), (retry.Status, retry.Body.ToString()));
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM samples"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task APersonTheRegistryNeverMet_IsAskedForNameAndPhone_ThenRegisteredWhereTheSiteIs_AndSeesTheirResult(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        await world.OpenBoxAsync(world.Boxes[0]);
        await world.OpenTubeAsync(world.Boxes[0], world.Tubes[0], 10);
        var visitor = People.NewId(110101);

        var unnamed = await world.AddAsync(world.Tubes[0], visitor);
        var invalid = await world.AddAsync(world.Tubes[0], visitor[..17] + (visitor[17] == '1' ? '2' : '1'));
        var noPhone = await world.ScanAsync(world.Sampler, new { clientId = world.NextClientId(), action = "sample.add", tube = world.Tubes[0], person = visitor, name = "王小明", phone = "12" });
        await using var connection = await app.Store.OpenAsync();
        var nobody = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents");
        var added = await world.ScanAsync(world.Sampler, new { clientId = world.NextClientId(), action = "sample.add", tube = world.Tubes[0], person = visitor, name = "王小明", phone = "13912345678" });

        Refused(unnamed, "person_not_registered");
        Refused(invalid, "person_invalid");
        Refused(noPhone, "stranger_phone_invalid");
        Assert.Equal(0, nobody);
        Assert.Contains("校验位", invalid.Body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(201, added.Status);
        Assert.Equal("王*明", added.Body.GetProperty("name").GetString());
        var resident = await connection.QuerySingleAsync<(long Division, string Name, string Phone, string Tags)>("SELECT division, name, phone_masked, tags FROM residents");
        Assert.Equal((Villages.Simazhuang, "王小明"), (resident.Division, resident.Name));
        Assert.StartsWith("139", resident.Phone, StringComparison.Ordinal);
        Assert.Contains("登记于采样点", resident.Tags, StringComparison.Ordinal);

        // Like anyone, they see their own result.
        await world.ActAsync(world.Sampler, "tube.seal", new { tube = world.Tubes[0] });
        await world.ActAsync(world.Sampler, "box.seal", new { box = world.Boxes[0] });
        await world.ActAsync(world.Courier, "box.pickup", new { box = world.Boxes[0] });
        await world.ActAsync(world.Lab, "box.receive", new { box = world.Boxes[0] });
        await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube = world.Tubes[0], result = "negative" } });
        using var phone = app.Anonymous();
        var mine = await phone.PostAsJsonAsync("/api/v1/public/results", new { idNumber = visitor, name = "王小明" });
        Assert.True(mine.IsSuccessStatusCode, await mine.Content.ReadAsStringAsync());
        Assert.Contains("negative", await mine.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task BoxHistory_ShowsWhoWhereWhenAndWhichPeople(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Xicheng);
        var (box, _) = await world.ReceivedTubeAsync(people, 10, 0, 0);

        var history = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/boxes/{box}/history");

        Assert.Equal("received", history.GetProperty("current").GetProperty("state").GetString());
        Assert.Equal(2, history.GetProperty("people").GetArrayLength());
        var steps = history.GetProperty("events").EnumerateArray().Select(e => (e.GetProperty("kind").GetString(), e.GetProperty("username").GetString())).ToList();
        Assert.Equal([("box.open", "sampler"), ("tube.open", "sampler"), ("sample.add", "sampler"), ("sample.add", "sampler"), ("tube.seal", "sampler"),
            ("box.seal", "sampler"), ("box.pickup", "courier"), ("box.receive", "lab")], steps);
        using var outsider = await app.ClientAsync("cangxian", Fangyi.Core.Jurisdiction.Roles.Admin, People.Cangxian);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/v1/sampling/boxes/{box}/history")).StatusCode);
    }
}
