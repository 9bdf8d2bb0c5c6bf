using Fangyi.Core.Jurisdiction;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Features.Citizens;
using Microsoft.Extensions.Configuration;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Citizens;

/// <summary>
/// A resident whose latest result is not negative is told what happens next and whom to call, in their county's
/// words when the county has set them (Fangyi:NextSteps), in the default's otherwise.
/// </summary>
public class NextStepsTests
{
    private const string QingxianPositive = "青县：请留在家中，县疾控中心会在两小时内给您打电话。";
    private const string QingxianCall = "青县疫情防控热线 0317-1234567";
    private const string DefaultCall = "市疫情防控热线 0317-7654321";

    private static Task<TestApp> StartAsync(StoreKind kind) => TestApp.StartAsync(kind, configure: b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        [$"{NextSteps.Section}:default:call"] = DefaultCall,
        [$"{NextSteps.Section}:{People.Qingxian}:positive"] = QingxianPositive,
        [$"{NextSteps.Section}:{People.Qingxian}:call"] = QingxianCall,
    }));

    private static async Task<JsonElement> MyResultsAsync(TestApp app, string number, string name)
    {
        using var phone = app.Anonymous();
        var response = await phone.PostAsJsonAsync("/api/v1/public/results", new { idNumber = number, name });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static JsonElement? Next(JsonElement results) =>
        results.TryGetProperty("next", out var next) && next.ValueKind == JsonValueKind.Object ? next : null;

    private static async Task<string> TubeAsync(SamplingWorld world, int box, int tube, int capacity, string person, string result)
    {
        var (_, code) = await world.ReceivedTubeAsync([person], capacity, box, tube);
        Assert.Equal(200, (await world.ActAsync(world.Lab, "tube.result", new { tube = code, result })).Status);
        return code;
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task EachResultButNegative_SaysWhatHappensNextAndWhomToCall_InTheCountysWords(StoreKind kind)
    {
        await using var app = await StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        // 居民0 … 居民4 live in 青县; 居民5 in 沧县, which has set nothing of its own.
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang);
        using var city = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
        people.Add(People.NewId(130921));
        (await city.PutAsJsonAsync("/api/v1/residents", new { idNumber = people[5], name = "居民5", division = People.Code(Villages.Dongguan) })).EnsureSuccessStatusCode();
        await TubeAsync(world, 0, 0, 10, people[0], "positive");   // a 10:1 tube: its people are mixed positive
        await TubeAsync(world, 1, 1, 1, people[1], "positive");
        await TubeAsync(world, 2, 2, 1, people[2], "invalid");
        await TubeAsync(world, 3, 3, 1, people[3], "negative");
        await TubeAsync(world, 4, 4, 10, people[5], "positive");

        var mixed = Next(await MyResultsAsync(app, people[0], "居民0"))!.Value;
        Assert.Equal("mixed_positive", mixed.GetProperty("state").GetString());
        Assert.Equal(NextSteps.Texts["mixed_positive"], mixed.GetProperty("text").GetString());
        Assert.Equal(QingxianCall, mixed.GetProperty("call").GetString());

        var positive = Next(await MyResultsAsync(app, people[1], "居民1"))!.Value;
        Assert.Equal("positive", positive.GetProperty("state").GetString());
        Assert.Equal(QingxianPositive, positive.GetProperty("text").GetString());

        var invalid = Next(await MyResultsAsync(app, people[2], "居民2"))!.Value;
        Assert.Equal("invalid", invalid.GetProperty("state").GetString());
        Assert.Contains("重新采样", invalid.GetProperty("text").GetString(), StringComparison.Ordinal);

        Assert.Null(Next(await MyResultsAsync(app, people[3], "居民3")));
        // Sampled, not resulted yet: nothing to do but wait.
        Assert.Equal(201, (await world.OpenBoxAsync(world.Boxes[5])).Status);
        Assert.Equal(201, (await world.OpenTubeAsync(world.Boxes[5], world.Tubes[5], 1)).Status);
        Assert.Equal(201, (await world.AddAsync(world.Tubes[5], people[4])).Status);
        Assert.Null(Next(await MyResultsAsync(app, people[4], "居民4")));

        var elsewhere = Next(await MyResultsAsync(app, people[5], "居民5"))!.Value;
        Assert.Equal(NextSteps.Texts["mixed_positive"], elsewhere.GetProperty("text").GetString());
        Assert.Equal(DefaultCall, elsewhere.GetProperty("call").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ATubeMissingAtTheLab_AsksItsPeopleToBeSampledAgain(StoreKind kind)
    {
        await using var app = await StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang);
        var (box, kept, lost) = (world.Boxes[0], world.Tubes[0], world.Tubes[1]);
        Assert.Equal(201, (await world.OpenBoxAsync(box)).Status);
        foreach (var (tube, person) in new[] { (kept, people[0]), (lost, people[1]) })
        {
            Assert.Equal(201, (await world.OpenTubeAsync(box, tube, 1)).Status);
            Assert.Equal(201, (await world.AddAsync(tube, person)).Status);
            Assert.Equal(200, (await world.ActAsync(world.Sampler, "tube.seal", new { tube })).Status);
        }
        Assert.Equal(200, (await world.ActAsync(world.Sampler, "box.seal", new { box })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Courier, "box.pickup", new { box })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Lab, "box.receive", new { box })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Lab, "box.reconcile", new { box, tubes = new[] { kept } })).Status);

        var results = await MyResultsAsync(app, people[1], "居民1");
        Assert.Equal("未检测，请重新采样", results.GetProperty("results")[0].GetProperty("resultName").GetString());
        var next = Next(results)!.Value;
        Assert.Equal("resample", next.GetProperty("state").GetString());
        Assert.Equal(NextSteps.Texts["resample"], next.GetProperty("text").GetString());
        Assert.Null(Next(await MyResultsAsync(app, people[0], "居民0")));

        // The resident's page says the same.
        var html = await ResultsPageAsync(app, people[1], "居民1");
        Assert.Contains("接下来怎么做", html, StringComparison.Ordinal);
        Assert.Contains(NextSteps.Texts["resample"], html, StringComparison.Ordinal);
        Assert.Contains(QingxianCall, html, StringComparison.Ordinal);
        Assert.DoesNotContain("接下来怎么做", await ResultsPageAsync(app, people[0], "居民0"), StringComparison.Ordinal);
    }

    private static async Task<string> ResultsPageAsync(TestApp app, string number, string name)
    {
        using var phone = app.Anonymous();
        return await PageForms.PostForPageAsync(phone, "/my/results", "/my/results?handler=Identity", new Dictionary<string, string> { ["idNumber"] = number, ["name"] = name });
    }
}
