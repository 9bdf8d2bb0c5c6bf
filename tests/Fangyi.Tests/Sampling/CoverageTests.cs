using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Tests.Support;
using MiniExcelLibs;

namespace Fangyi.Tests.Sampling;

public class CoverageTests
{
    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Coverage_CountsSampledAgainstResidentsPerChildAndListsWhoIsMissing(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng, Villages.Xiaoniuzhuang);
        var (box, tube) = await world.ReceivedTubeAsync([people[0], people[1], people[3]], 5, 0, 0);
        await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube, result = "negative" } });

        var county = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/rounds/{world.RoundId}/coverage");
        var township = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/rounds/{world.RoundId}/coverage?division={People.Qingzhou}");

        Assert.Equal(5, county.GetProperty("residents").GetInt64());
        Assert.Equal(3, county.GetProperty("sampled").GetInt64());
        Assert.Equal(60.0, county.GetProperty("percent").GetDouble());
        var qingzhou = county.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("division").GetInt64() == People.Qingzhou);
        Assert.Equal((4L, 3L), (qingzhou.GetProperty("residents").GetInt64(), qingzhou.GetProperty("sampled").GetInt64()));
        var simazhuang = township.GetProperty("children").EnumerateArray().Single(c => c.GetProperty("division").GetInt64() == Villages.Simazhuang);
        Assert.Equal((3L, 2L, 66.7), (simazhuang.GetProperty("residents").GetInt64(), simazhuang.GetProperty("sampled").GetInt64(), simazhuang.GetProperty("percent").GetDouble()));
        Assert.Equal(1, county.GetProperty("tubes").GetProperty("resulted").GetInt64());
        Assert.Equal(1, county.GetProperty("boxes").GetProperty("done").GetInt64());   // its only tube has its result: 检测完成, not 检测中
        Assert.Equal(1, county.GetProperty("sampledToResulted").GetProperty("tubes").GetInt32());

        var missing = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/rounds/{world.RoundId}/not-sampled?division={Villages.Simazhuang}");
        Assert.Equal(people[2][..3] + "***********" + people[2][14..], Assert.Single(missing.EnumerateArray()).GetProperty("idMasked").GetString());
        var sheet = await world.Admin.GetByteArrayAsync($"/api/v1/sampling/rounds/{world.RoundId}/not-sampled?division={People.Qingxian}&format=xlsx");
        using var stream = new MemoryStream(sheet);
        Assert.Equal(2, (await stream.QueryAsync(useHeaderRow: true)).Count());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Coverage_AndTasks_StayInsideTheJurisdiction(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Xicheng);
        var (_, tube) = await world.ReceivedTubeAsync(people, 5, 0, 0);
        await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube, result = "positive" } });
        using var worker = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Xicheng);
        using var outsider = await app.ClientAsync("cangxian", Roles.Admin, People.Cangxian);

        var tasks = await worker.GetFromJsonAsync<JsonElement>("/api/v1/sampling/retest-tasks");
        var foreign = await outsider.GetAsync($"/api/v1/sampling/rounds/{world.RoundId}/coverage?division={People.Qingxian}");
        var mine = await worker.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/rounds/{world.RoundId}/coverage");

        var task = Assert.Single(tasks.EnumerateArray());
        Assert.Equal(Villages.Xicheng, task.GetProperty("division").GetInt64());
        Assert.Equal("single_tube_retest", task.GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal((1L, 1L), (mine.GetProperty("residents").GetInt64(), mine.GetProperty("sampled").GetInt64()));
    }
}
