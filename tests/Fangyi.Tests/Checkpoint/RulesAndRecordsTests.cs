using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Fangyi.Features.Checkpoint;
using Fangyi.Tests.Support;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Tests.Checkpoint;

public class RulesAndRecordsTests
{
    [SuppressMessage("Performance", "CA1812", Justification = "Dapper makes the rows.")]
    private sealed record CheckRow
    {
        public string ClientId { get; init; } = "";
        public long PlaceId { get; init; }
        public long DeviceId { get; init; }
        public long Division { get; init; }
        public long? ResidentId { get; init; }
        public string Verdict { get; init; } = "";
        public string RuleVersion { get; init; } = "";
        public string InputKind { get; init; } = "";
    }

    private static string Rules(string version, int mallHours, params string[] mallColours)
    {
        var document = JsonNode.Parse(JsonSerializer.Serialize(RulesDocument.Defaults, CheckpointRules.Json))!;
        document["version"] = version;
        document["categories"]!["mall"]!["windowHours"] = mallHours;
        document["categories"]!["mall"]!["allowedColours"] = new JsonArray(mallColours.Select(c => (JsonNode)c).ToArray());
        return document.ToJsonString();
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Rules_AreReloadedWithoutARestart_FromTheApiAndFromTheFile(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var person = (await world.ResidentsAsync(1))[0];
        await world.SampleAsync([person], "negative");
        await world.ColourAsync(person, "yellow", world.Clock.GetUtcNow());
        world.Clock.Advance(TimeSpan.FromHours(30));
        var before = await world.AnswerAsync("mall", person);
        using var city = await world.SignInAsync("city");
        using var countyAdmin = await world.SignInAsync("county");

        // A new version through the API: the mall now takes 24-hour results and yellow codes.
        using var postedBody = new StringContent(Rules("2026-城区-2", 24, "green", "yellow"), Encoding.UTF8, "application/json");
        var posted = await city.PostAsync("/api/v1/checkpoint/rules", postedBody);
        var afterApi = await world.AnswerAsync("mall", person);
        // The same version again, and a broken document, are refused; the rules in force stay.
        using var againBody = new StringContent(Rules("2026-城区-2", 96, "green"), Encoding.UTF8, "application/json");
        var again = await city.PostAsync("/api/v1/checkpoint/rules", againBody);
        using var brokenBody = new StringContent("{\"version\":\"x\",\"categories\":{}}", Encoding.UTF8, "application/json");
        var broken = await city.PostAsync("/api/v1/checkpoint/rules", brokenBody);
        using var countyBody = new StringContent(Rules("county", 96, "green"), Encoding.UTF8, "application/json");
        var county = await countyAdmin.PostAsync("/api/v1/checkpoint/rules", countyBody);

        // An operator edits the file in the data folder: taken up without a restart.
        var rules = world.App.Get<CheckpointRules>();
        await File.WriteAllTextAsync(rules.FilePath, Rules("2026-城区-3", 96, "green", "yellow"));
        File.SetLastWriteTimeUtc(rules.FilePath, DateTime.UtcNow.AddSeconds(5));
        Assert.True(await rules.ReloadIfChangedAsync());
        var afterFile = await world.AnswerAsync("mall", person);

        Assert.Equal(("check", "default-1"), (before.GetProperty("verdict").GetString(), before.GetProperty("ruleVersion").GetString()));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(("result_timed_out", "2026-城区-2", 24), (afterApi.GetProperty("verdict").GetString(), afterApi.GetProperty("ruleVersion").GetString(),
            afterApi.GetProperty("facts").GetProperty("nucleicAcid").GetProperty("windowHours").GetInt32()));
        Assert.Equal("rules.version_exists", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("rules.invalid", (await broken.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, county.StatusCode);
        Assert.Equal(("pass", "2026-城区-3"), (afterFile.GetProperty("verdict").GetString(), afterFile.GetProperty("ruleVersion").GetString()));
        // Every version in force is kept, and each check names the one it was judged under.
        await world.WaitForChecksAsync(3);
        await using var connection = await world.App.Store.OpenAsync();
        Assert.Equal(["default-1", "2026-城区-2", "2026-城区-3"], (await connection.QueryAsync<string>("SELECT rule_version FROM checks ORDER BY id")).ToArray());
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM checkpoint_rules"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Checks_AreRecordedOnce_OutsideTheEventLog_AndPurgedAfterTheRetention(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind, options => options with { CheckRetentionDays = 28 });
        var person = (await world.ResidentsAsync(1))[0];
        var (place, device, _) = world.Places["hospital"];

        await world.VerifyAsync("hospital", person, clientId: "kiosk-1-0001");
        await world.VerifyAsync("hospital", person, clientId: "kiosk-1-0001");   // a retry of the same scan
        await world.VerifyAsync("hospital", People.NewId(), clientId: "kiosk-1-0002");
        await world.WaitForChecksAsync(2);
        world.Clock.Advance(TimeSpan.FromDays(28) + TimeSpan.FromMinutes(1));
        await world.VerifyAsync("hospital", person, clientId: "kiosk-1-0003");
        await world.WaitForChecksAsync(3);

        await using var connection = await world.App.Store.OpenAsync();
        var rows = (await connection.QueryAsync<CheckRow>(
            "SELECT client_id AS ClientId, place_id AS PlaceId, device_id AS DeviceId, division, resident_id AS ResidentId, verdict, rule_version AS RuleVersion, input_kind AS InputKind FROM checks ORDER BY id")).ToList();
        string[] sent = ["kiosk-1-0001", "kiosk-1-0002", "kiosk-1-0003"];
        Assert.Equal(sent.Select(c => $"{device}:{c}").ToArray(), rows.Select(r => r.ClientId).ToArray());
        Assert.All(rows, r => Assert.Equal((place, DeviceRegistry.RowOf(device), People.Qingzhou, "default-1", "id_number"), (r.PlaceId, r.DeviceId, r.Division, r.RuleVersion, r.InputKind)));
        Assert.Equal(["no_result", "not_found", "no_result"], rows.Select(r => r.Verdict).ToArray());
        Assert.NotNull(rows[0].ResidentId);
        Assert.Null(rows[1].ResidentId);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE kind = @kind", new { kind = CheckRecordHandler.Kind }));

        // The host's own chores, run by the test (they never run beside it): the first pass purges what is past the
        // retention, and a pass right after it finds nothing to do.
        var chores = world.App.Get<CheckpointChores>();
        var purged = await chores.RunOnceAsync();
        var again = await chores.RunOnceAsync();

        Assert.Equal((2L, 0L), (purged, again));
        Assert.Equal([$"{device}:kiosk-1-0003"], (await connection.QueryAsync<string>("SELECT client_id FROM checks")).ToArray());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Tracing_ShowsChecksAndContactsWithinTheJurisdiction_RefusesOutside_AndIsAudited(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var p = await world.ResidentsAsync(3);
        var residentIds = new List<long>();
        foreach (var number in p)
        {
            residentIds.Add((await CheckpointWorld.Ok(await world.City.PostAsJsonAsync("/api/v1/residents/search", new { q = number })))[0].GetProperty("id").GetInt64());
        }
        await world.VerifyAsync("mall", p[0]);
        world.Clock.Advance(TimeSpan.FromMinutes(10));
        await world.VerifyAsync("mall", p[1]);        // ten minutes after p0, same place: a contact
        await world.VerifyAsync("hospital", p[2]);    // same time, another place: not a contact
        world.Clock.Advance(TimeSpan.FromHours(3));
        await world.VerifyAsync("hospital", p[0]);
        await world.VerifyAsync("mall", p[2]);        // at the mall, but three hours later
        await world.WaitForChecksAsync(5);
        var county = world.Sampling.Admin;             // 青县
        using var commander = await world.App.ClientAsync("commander", Roles.Commander, People.Cangzhou);
        using var outsider = await world.App.ClientAsync("cangxian", Roles.Admin, People.Cangxian);
        var sampler = world.Sampling.Sampler;

        var checks = await CheckpointWorld.Ok(await county.PostAsJsonAsync("/api/v1/checkpoint/trace/person", new { idNumber = p[0] }));
        var contacts = await CheckpointWorld.Ok(await world.City.PostAsJsonAsync("/api/v1/checkpoint/trace/contacts", new { residentId = residentIds[0], windowMinutes = 30 }));
        // Commanders watch numbers; tracing a person is an admin's job.
        var refusedCommander = await commander.PostAsJsonAsync("/api/v1/checkpoint/trace/contacts", new { residentId = residentIds[0], windowMinutes = 30 });
        var visitors = await CheckpointWorld.Ok(await county.GetAsync($"/api/v1/checkpoint/trace/places/{world.Places["mall"].Place}?from={Uri.EscapeDataString(world.Clock.GetUtcNow().AddDays(-1).ToString("O"))}"));
        var refusedPerson = await outsider.PostAsJsonAsync("/api/v1/checkpoint/trace/person", new { idNumber = p[0] });
        var refusedPlace = await outsider.GetAsync($"/api/v1/checkpoint/trace/places/{world.Places["mall"].Place}");
        var refusedRole = await sampler.PostAsJsonAsync("/api/v1/checkpoint/trace/person", new { idNumber = p[0] });

        Assert.Equal(["青县华联商厦", "青县人民医院"], checks.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("placeName").GetString()!).ToArray());
        Assert.Equal("居*0", checks.GetProperty("name").GetString());
        Assert.Equal([residentIds[1]], contacts.GetProperty("people").EnumerateArray().Select(c => c.GetProperty("residentId").GetInt64()).ToArray());
        Assert.Equal(10, contacts.GetProperty("people")[0].GetProperty("minutesApart").GetInt32());
        Assert.Equal([residentIds[0], residentIds[1], residentIds[2]], visitors.GetProperty("people").EnumerateArray().Select(v => v.GetProperty("residentId").GetInt64()).ToArray());
        Assert.Equal(HttpStatusCode.NotFound, refusedPerson.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, refusedPlace.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedRole.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedCommander.StatusCode);
        await using var connection = await world.App.Store.OpenAsync();
        var audited = (await connection.QueryAsync<(string Action, string Username)>("SELECT action, username FROM audit_log WHERE action LIKE 'checkpoint.trace%' ORDER BY seq")).ToList();
        Assert.Equal([("checkpoint.trace_person", "county"), ("checkpoint.trace_contacts", "city"), ("checkpoint.trace_place", "county")], audited);
    }
}
