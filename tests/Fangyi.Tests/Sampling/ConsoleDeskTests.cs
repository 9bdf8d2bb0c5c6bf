using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Jurisdiction;
using Fangyi.Tests.Checkpoint;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Sampling;

/// <summary>
/// The county admin's console on both stores: rounds, sites and teams edited and retired (a retired site takes
/// no new box; a name is not given twice in a division), the coverage page going down to a village's
/// not-sampled people, the home page's running round, and the person page's one timeline of everything that
/// happened to a person.
/// </summary>
public class ConsoleDeskTests
{
    private static readonly string[] Samplers = ["sampler"];

    // A console page, read as its user would; a failure says what the host logged.
    private static async Task<string> PageAsync(TestApp app, HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        // Razor writes Chinese as character references; read the text as a browser would.
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {url} {app.Errors}");
        return html;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static async Task Refused(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await Json(response)).GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task SitesRoundsAndTeams_AreEditedAndRetired_ANameIsNotGivenTwice_AndARetiredSiteTakesNoNewBox(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var admin = world.Admin;

        // The same name twice in one village is refused (the samplers pick sites by name); in another village it is fine.
        await Refused(await admin.PostAsJsonAsync("/api/v1/sampling/sites", new { name = " 司马庄村委会采样点 ", division = Villages.Simazhuang }), HttpStatusCode.Conflict, "site_name_taken");
        var second = await Json(await admin.PostAsJsonAsync("/api/v1/sampling/sites", new { name = "司马庄村委会采样点", division = Villages.Xicheng }));
        var secondId = second.GetProperty("id").GetInt64();

        // Renamed and moved; another county's admin can neither see nor change it.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsJsonAsync($"/api/v1/sampling/sites/{secondId}", new { name = "西城居委会采样点", address = "西城街1号" })).StatusCode);
        using var outsider = await app.ClientAsync("cx_admin", Roles.Admin, People.Cangxian);
        await Refused(await outsider.PatchAsJsonAsync($"/api/v1/sampling/sites/{secondId}", new { name = "别处" }), HttpStatusCode.NotFound, "not_found");
        await Refused(await outsider.PostAsync($"/api/v1/sampling/sites/{secondId}/retire", null), HttpStatusCode.NotFound, "not_found");
        var sites = await Json(await admin.GetAsync("/api/v1/sampling/sites"));
        Assert.Contains(sites.EnumerateArray(), s => s.GetProperty("id").GetInt64() == secondId && s.GetProperty("name").GetString() == "西城居委会采样点" && s.GetProperty("address").GetString() == "西城街1号");

        // Retired: gone from the samplers' list, no new box there, and its name free again.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/sampling/sites/{world.SiteId}/retire", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/sampling/sites/{world.SiteId}/retire", null)).StatusCode);
        sites = await Json(await world.Sampler.GetAsync("/api/v1/sampling/sites"));
        Assert.DoesNotContain(sites.EnumerateArray(), s => s.GetProperty("id").GetInt64() == world.SiteId);
        var refused = await world.OpenBoxAsync(world.Boxes[0]);
        Assert.Equal(409, refused.Status);
        Assert.Equal("site_retired", refused.Body.GetProperty("code").GetString());
        await Refused(await admin.PatchAsJsonAsync($"/api/v1/sampling/sites/{world.SiteId}", new { name = "又一个" }), HttpStatusCode.Conflict, "already_retired");
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/sampling/sites", new { name = "司马庄村委会采样点", division = Villages.Simazhuang })).StatusCode);

        // A team is renamed and retired; a retired site takes no new team.
        var team = await Json(await admin.PostAsJsonAsync($"/api/v1/sampling/sites/{secondId}/teams", new { name = "第1采样队", members = Samplers }));
        var teamId = team.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsJsonAsync($"/api/v1/sampling/sites/{secondId}/teams/{teamId}", new { name = "第一采样队" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/sampling/sites/{secondId}/teams/{teamId}/retire", null)).StatusCode);
        await Refused(await admin.PatchAsJsonAsync($"/api/v1/sampling/sites/{secondId}/teams/{teamId}", new { name = "改不了" }), HttpStatusCode.Conflict, "already_retired");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync($"/api/v1/sampling/sites/{world.SiteId}/teams", new { name = "第2采样队", members = Array.Empty<string>() })).StatusCode);

        // A round runs longer, is renamed, then retired: it ends now and takes no new box.
        await Refused(await admin.PatchAsJsonAsync($"/api/v1/sampling/rounds/{world.RoundId}", new { endsAt = DateTimeOffset.UtcNow.AddDays(-2) }), HttpStatusCode.BadRequest, "round_times_invalid");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PatchAsJsonAsync($"/api/v1/sampling/rounds/{world.RoundId}", new { name = "青县第一轮（延长）", endsAt = DateTimeOffset.UtcNow.AddDays(3) })).StatusCode);
        var round = (await Json(await admin.GetAsync("/api/v1/sampling/rounds"))).EnumerateArray().Single(r => r.GetProperty("id").GetInt64() == world.RoundId);
        Assert.Equal("青县第一轮（延长）", round.GetProperty("name").GetString());
        Assert.True(round.GetProperty("endsAt").GetInt64() > DateTimeOffset.UtcNow.AddDays(2).ToUnixTimeMilliseconds());
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/v1/sampling/rounds/{world.RoundId}/retire", null)).StatusCode);
        var open = await world.ScanAsync(world.Sampler, new { clientId = world.NextClientId(), action = "box.open", box = world.Boxes[1], roundId = world.RoundId, siteId = secondId });
        Assert.Equal("round_closed", open.Body.GetProperty("code").GetString());

        await using var connection = await app.Store.OpenAsync();
        var audit = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT COUNT(*) FROM audit_log WHERE action IN ('sampling.site_edited', 'sampling.site_retired', 'sampling.team_edited', 'sampling.team_retired', 'sampling.round_edited', 'sampling.round_retired')");
        Assert.Equal(6, audit);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ThePersonPage_ShowsOneTimeline_OfSamplesResultsCorrectionsColourAndChecks(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var admin = world.Sampling.Admin;
        var people = await world.ResidentsAsync(2);
        var tube = await world.SampleAsync(people, "positive");
        var fix = await admin.PostAsJsonAsync("/api/v1/lab/corrections", new { tube, result = "negative", reason = "录入时选错结果" });
        Assert.True(fix.StatusCode == HttpStatusCode.OK, await fix.Content.ReadAsStringAsync() + world.App.Errors);
        await world.ColourAsync(people[0], "yellow", DateTimeOffset.UtcNow.AddMinutes(-5), "时空伴随");
        Assert.Equal(200, (await world.VerifyAsync("mall", people[0])).Status);
        await world.WaitForChecksAsync(1);

        var found = await Json(await admin.PostAsJsonAsync("/api/v1/residents/search", new { q = people[0] }));
        var id = found.EnumerateArray().Single().GetProperty("id").GetInt64();
        var page = await PageAsync(world.App, admin, $"/residents/{id}");
        var timeline = page[page.IndexOf("id=\"timeline\"", StringComparison.Ordinal)..];
        foreach (var expected in new[] { "核酸采样", "10混1", "核酸结果：阴性", "结果更正：阳性 → 阴性", "录入时选错结果", "健康码：黄码", "时空伴随", "核验" })
        {
            Assert.Contains(expected, timeline, StringComparison.Ordinal);
        }
        // Newest first: the correction comes before the result, the result before the sample.
        var entries = System.Text.RegularExpressions.Regex.Matches(timeline, "<span class=\"tag\">([^<]+)</span>").Select(m => m.Groups[1].Value).ToList();
        Assert.True(entries.IndexOf("更正") < entries.IndexOf("结果") && entries.IndexOf("结果") < entries.IndexOf("采样"), string.Join(" ", entries));
        // The other person of the tube shares the tube's entries, not the first person's colour or checks.
        var other = (await Json(await admin.PostAsJsonAsync("/api/v1/residents/search", new { q = people[1] }))).EnumerateArray().Single().GetProperty("id").GetInt64();
        var theirs = await PageAsync(world.App, admin, $"/residents/{other}");
        Assert.Contains("结果更正", theirs, StringComparison.Ordinal);
        Assert.DoesNotContain("健康码：黄码", theirs, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task TheCoveragePage_GoesDownToAVillage_AndListsWhoIsNotSampled_AndTheHomePageShowsTheRunningRound(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng);
        await world.ReceivedTubeAsync([people[0], people[1]], 5, 0, 0);

        var county = await PageAsync(app, world.Admin, $"/sampling/coverage?round={world.RoundId}");
        Assert.Contains("清州镇", county, StringComparison.Ordinal);
        Assert.Contains($"division={People.Qingzhou}", county, StringComparison.Ordinal);
        var village = await PageAsync(app, world.Admin, $"/sampling/coverage?round={world.RoundId}&division={Villages.Simazhuang}");
        Assert.Contains("居民2", village, StringComparison.Ordinal);       // not sampled
        Assert.DoesNotContain("居民0", village, StringComparison.Ordinal);  // sampled
        Assert.Contains("format=xlsx", village, StringComparison.Ordinal);
        Assert.DoesNotContain(people[2], village, StringComparison.Ordinal);
        // Outside the jurisdiction there is nothing to see.
        using var outsider = await app.ClientAsync("cx_admin", Roles.Admin, People.Cangxian);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/sampling/coverage?round={world.RoundId}&division={Villages.Simazhuang}")).StatusCode);
        // A commander sees the numbers and no names.
        using var commander = await app.ClientAsync("qx_commander", Roles.Commander, People.Qingxian);
        var numbers = await PageAsync(app, commander, $"/sampling/coverage?round={world.RoundId}&division={Villages.Simazhuang}");
        Assert.Contains("data-testid=\"not-sampled\"", numbers, StringComparison.Ordinal);
        Assert.DoesNotContain("居民2", numbers, StringComparison.Ordinal);

        await Until.PassesAsync(async () =>
        {
            var home = await PageAsync(app, world.Admin, "/");
            Assert.Contains("青县第一轮全员核酸", home, StringComparison.Ordinal);
            Assert.Matches("data-testid=\"round-people\">2 ", home);
        });
    }
}
