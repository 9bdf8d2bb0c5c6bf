using Fangyi.Core.Jurisdiction;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Security;

/// <summary>
/// Retry ids belong to their sender (issue 9, finding 3): a client id is one write per account or device, a reuse with
/// another body is refused, ids the server makes cannot be guessed, and a refusal for a state that changes does not
/// stick to the id.
/// </summary>
public partial class RetryIdTests
{
    private static async Task<List<JsonElement>> ResultsAsync(HttpClient lab, params object[] rows)
    {
        var response = await lab.PostAsJsonAsync("/api/v1/lab/results", rows);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    private static async Task<long> CountAsync(TestApp app, string sql, object? args = null)
    {
        await using var connection = await app.Store.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    private static async Task<string?> TubeResultAsync(TestApp app, string tube)
    {
        await using var connection = await app.Store.OpenAsync();
        return await connection.ExecuteScalarAsync<string?>("SELECT result FROM tubes WHERE code = @tube", new { tube });
    }

    /// <summary>A box with one sealed tube, sealed and picked up, not yet received at the lab.</summary>
    private static async Task<(string Box, string Tube)> InTransitTubeAsync(SamplingWorld world, int index)
    {
        var people = await world.ResidentsAsync(Villages.Simazhuang);
        var (box, tube) = (world.Boxes[index], world.Tubes[index]);
        Assert.Equal(201, (await world.OpenBoxAsync(box)).Status);
        Assert.Equal(201, (await world.OpenTubeAsync(box, tube, 1)).Status);
        Assert.Equal(201, (await world.AddAsync(tube, people[0])).Status);
        Assert.Equal(200, (await world.ActAsync(world.Sampler, "tube.seal", new { tube })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Sampler, "box.seal", new { box })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Courier, "box.pickup", new { box })).Status);
        return (box, tube);
    }

    private static async Task<List<JsonElement>> BatchAsync(HttpClient client, params object[] scans)
    {
        var response = await client.PostAsJsonAsync("/api/v1/scans/batch", scans);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Results_ForATubeInAnotherCounty_AnswerTheSameWhateverTheResult(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang);
        var (_, tube) = await world.ReceivedTubeAsync(people, 1, 0, 0);
        Assert.True((await ResultsAsync(world.Lab, new { tube, result = "positive" }))[0].GetProperty("accepted").GetBoolean());
        using var elsewhere = await app.ClientAsync("cangxian-lab", Roles.Lab, People.Cangxian);

        var positive = (await ResultsAsync(elsewhere, new { tube, result = "positive" }))[0];
        var negative = (await ResultsAsync(elsewhere, new { tube, result = "negative" }))[0];

        Assert.False(positive.GetProperty("accepted").GetBoolean(), positive.ToString());
        Assert.False(negative.GetProperty("accepted").GetBoolean(), negative.ToString());
        Assert.Equal(negative.GetProperty("code").GetString(), positive.GetProperty("code").GetString());
        Assert.Equal(negative.GetProperty("reason").GetString(), positive.GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AResultsId_UsedFirstByAnotherAccountsRefusedScan_DoesNotBlockTheRealResult(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang);
        var (_, tube) = await world.ReceivedTubeAsync(people, 1, 0, 0);
        using var stranger = await app.ClientAsync("cangxian-sampler", Roles.Sampler, Villages.Dongguan);
        // The id the results upload used to make for this row, burned by a scan that is refused.
        var (status, _) = await world.ScanAsync(stranger, new { clientId = $"result:{tube}:positive", action = "tube.seal", tube });
        Assert.True(status >= 400);

        var row = (await ResultsAsync(world.Lab, new { tube, result = "positive" }))[0];

        Assert.True(row.GetProperty("accepted").GetBoolean(), row.ToString());
        Assert.Equal("positive", await TubeResultAsync(app, tube));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ALabPageResult_RefusedBeforeTheBoxWasReceived_IsRecordedWhenEnteredAgainAfterReceipt(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var (box, tube) = await InTransitTubeAsync(world, 0);

        var early = await PostLabFormAsync(world.Lab, tube, "positive");
        Assert.Contains("未录入", early, StringComparison.Ordinal);
        Assert.Equal(200, (await world.ActAsync(world.Lab, "box.receive", new { box, tubesCounted = 1 })).Status);
        var later = await PostLabFormAsync(world.Lab, tube, "positive");

        Assert.Contains("已录入", later, StringComparison.Ordinal);
        Assert.Equal("positive", await TubeResultAsync(app, tube));
        // The early refusal is still in the event log: the log records what happened.
        Assert.Equal(1, await CountAsync(app, "SELECT COUNT(*) FROM events WHERE kind = 'tube.result' AND subject = @tube AND accepted = @no", new { tube, no = false }));
    }

    /// <summary>Posts the /lab page's single-tube form as a browser would.</summary>
    private static async Task<string> PostLabFormAsync(HttpClient lab, string tube, string result)
    {
        var text = await PageForms.PostForPageAsync(lab, "/lab", "/lab?handler=One", new Dictionary<string, string> { ["tube"] = tube, ["result"] = result, ["ct"] = "" });
        return Regex.Match(text, "id=\"one-outcome\">([^<]*)").Groups[1].Value;
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AScanRefusedForAStateThatChanges_IsAppliedWhenRetriedWithItsId_AndAFinalRefusalStays(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var (box, tube) = await InTransitTubeAsync(world, 0);
        var result = new { clientId = "lab-phone-1", action = "tube.result", tube, result = "negative" };
        var unknown = new { clientId = "lab-phone-2", action = "tube.result", tube = world.Tubes[9], result = "negative" };

        var early = await BatchAsync(world.Lab, result, unknown);
        Assert.Equal("tube_not_received", early[0].GetProperty("body").GetProperty("code").GetString());
        Assert.Equal("tube_unknown", early[1].GetProperty("body").GetProperty("code").GetString());
        Assert.Equal(200, (await world.ActAsync(world.Lab, "box.receive", new { box, tubesCounted = 1 })).Status);
        var retried = await BatchAsync(world.Lab, result, unknown);
        var again = await BatchAsync(world.Lab, result);

        Assert.True(retried[0].GetProperty("accepted").GetBoolean(), retried[0].ToString());
        Assert.False(retried[0].GetProperty("repeat").GetBoolean());
        Assert.Equal("negative", await TubeResultAsync(app, tube));
        Assert.True(retried[1].GetProperty("repeat").GetBoolean());
        Assert.Equal("tube_unknown", retried[1].GetProperty("body").GetProperty("code").GetString());
        Assert.True(again[0].GetProperty("repeat").GetBoolean());
        Assert.True(again[0].GetProperty("accepted").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AClientId_ReusedBySameAccountForAnotherScan_IsRefusedAsReused(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var open = new { clientId = "phone-7", action = "box.open", box = world.Boxes[0], roundId = world.RoundId, siteId = world.SiteId };
        Assert.Equal(201, (await world.ScanAsync(world.Sampler, open)).Status);

        var otherBox = await world.ScanAsync(world.Sampler, open with { box = world.Boxes[1] });
        var otherKind = await world.ScanAsync(world.Sampler, new { clientId = "phone-7", action = "box.seal", box = world.Boxes[0] });
        var inOneBatch = await BatchAsync(world.Sampler, new { clientId = "phone-8", action = "box.open", box = world.Boxes[2], roundId = world.RoundId, siteId = world.SiteId },
            new { clientId = "phone-8", action = "box.open", box = world.Boxes[3], roundId = world.RoundId, siteId = world.SiteId });
        var same = await BatchAsync(world.Sampler, open);

        Assert.Equal(409, otherBox.Status);
        Assert.Equal("client_id_reused", otherBox.Body.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(otherBox.Body.GetProperty("title").GetString()));
        Assert.Equal(409, otherKind.Status);
        Assert.Equal("client_id_reused", otherKind.Body.GetProperty("code").GetString());
        Assert.Equal([201, 409], inOneBatch.Select(o => o.GetProperty("status").GetInt32()).ToArray());
        Assert.True(same[0].GetProperty("repeat").GetBoolean());
        Assert.Equal(201, same[0].GetProperty("status").GetInt32());
        Assert.Equal(0, await CountAsync(app, "SELECT COUNT(*) FROM boxes WHERE code IN (@a, @b)", new { a = world.Boxes[1], b = world.Boxes[3] }));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AClientId_UsedByAnotherAccount_IsThatAccountsOwnScan(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        using var colleague = await app.ClientAsync("sampler-2", Roles.Sampler, Villages.Simazhuang);

        var first = await world.ScanAsync(world.Sampler, new { clientId = "scan-1", action = "box.open", box = world.Boxes[0], roundId = world.RoundId, siteId = world.SiteId });
        var second = await world.ScanAsync(colleague, new { clientId = "scan-1", action = "box.open", box = world.Boxes[1], roundId = world.RoundId, siteId = world.SiteId });

        Assert.Equal(201, first.Status);
        Assert.Equal(201, second.Status);
        Assert.Equal(world.Boxes[1], second.Body.GetProperty("box").GetString());
        Assert.Equal(2, await CountAsync(app, "SELECT COUNT(*) FROM events WHERE client_id = 'scan-1'"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AHealthFactWithoutClientId_IsNotAnsweredWithAnotherAccountsFact(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var number = (await world.ResidentsAsync(Villages.Simazhuang))[0];
        var at = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds();
        var fact = new { idNumber = number, colour = "red", at, reason = "省平台赋码" };
        var held = await world.Admin.PostAsJsonAsync("/api/v1/checkpoint/colours", fact);
        Assert.True(held.IsSuccessStatusCode, await held.Content.ReadAsStringAsync());
        using var elsewhere = await app.ClientAsync("cangxian-admin", Roles.Admin, People.Cangxian);

        var answer = await elsewhere.PostAsJsonAsync("/api/v1/checkpoint/colours", fact);

        Assert.False(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        await using var connection = await app.Store.OpenAsync();
        var madeIds = (await connection.QueryAsync<string>("SELECT client_id FROM events WHERE kind = 'colour.set'")).ToList();
        Assert.NotEmpty(madeIds);
        Assert.All(madeIds, id => Assert.Matches("^srv:[0-9a-f]{32}$", id));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task LabResults_MadeIds_AreNotDerivedFromTheTube(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang);
        var (_, tube) = await world.ReceivedTubeAsync(people, 1, 0, 0);

        await ResultsAsync(world.Lab, new { tube, result = "negative" });
        await ResultsAsync(world.Lab, new { tube, result = "negative" });

        await using var connection = await app.Store.OpenAsync();
        var ids = (await connection.QueryAsync<string>("SELECT client_id FROM events WHERE kind = 'tube.result'")).ToList();
        Assert.Equal(2, ids.Distinct().Count());
        Assert.All(ids, id => Assert.DoesNotContain(tube, id, StringComparison.OrdinalIgnoreCase));
        Assert.All(ids, id => Assert.Matches("^srv:[0-9a-f]{32}$", id));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ArrivalsSentTwiceWithoutClientIds_AreKeptOnce(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var number = (await world.ResidentsAsync(Villages.Simazhuang))[0];
        var rows = new[] { new { idNumber = number, from = 130109100001, arrivedAt = DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds() } };

        var first = await world.Admin.PostAsJsonAsync("/api/v1/checkpoint/arrivals", rows);
        var second = await world.Admin.PostAsJsonAsync("/api/v1/checkpoint/arrivals", rows);

        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        var again = (await second.Content.ReadFromJsonAsync<JsonElement>())[0];
        Assert.True(again.GetProperty("accepted").GetBoolean(), again.ToString());
        Assert.Equal(1, await CountAsync(app, "SELECT COUNT(*) FROM arrivals"));
        Assert.Equal(2, await CountAsync(app, "SELECT COUNT(DISTINCT client_id) FROM events WHERE kind = 'arrival.add'"));
    }

    public static TheoryData<StoreKind, string> BadResultBodies()
    {
        var data = new TheoryData<StoreKind, string>();
        string[] bodies =
        [
            """[{"tube":"{tube}","result":"negative"},null]""",
            """[{"tube":"{tube}","result":"negative","ct":"NaN"}]""",
            """[{"tube":"{tube}","result":"negative","ct":"Infinity"}]""",
            """[{"tube":"{tube}","result":"negative","ct":1e400}]""",
            """[{"tube":"{tube}","result":"negative"},{"tube":"{tube}","result":"negative","ct":1e300}]""",
            """[{"tube":"{tube}","result":"negative","ct":-3}]""",
        ];
        foreach (var kind in new[] { StoreKind.Sqlite, StoreKind.Postgres })
        {
            foreach (var body in bodies)
            {
                data.Add(kind, body);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(BadResultBodies))]
    public async Task LabResults_WithANullRowOrAnImpossibleCt_AreRefusedWholeAndStoreNothing(StoreKind kind, string body)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang);
        var (_, tube) = await world.ReceivedTubeAsync(people, 1, 0, 0);
        var before = await CountAsync(app, "SELECT COUNT(*) FROM events");

        using var content = new StringContent(body.Replace("{tube}", tube, StringComparison.Ordinal), Encoding.UTF8, "application/json");
        var response = await world.Lab.PostAsync("/api/v1/lab/results", content);

        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(400, (int)response.StatusCode);
        var problem = JsonSerializer.Deserialize<JsonElement>(text);
        Assert.Matches("^[a-z_]+$", problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Equal(before, await CountAsync(app, "SELECT COUNT(*) FROM events"));
        Assert.Null(await TubeResultAsync(app, tube));
    }
}
