using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Sampling;

public class CitizenCodeFlowTests
{
    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AResidentGetsTheirCode_IsSampledWithIt_AndReadsTheirResult(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var number = (await world.ResidentsAsync(Villages.Simazhuang))[0];
        using var resident = app.Anonymous();

        var wrongName = await resident.PostAsJsonAsync("/api/v1/public/citizen-code", new { idNumber = number, name = "别人" });
        var mine = await (await resident.PostAsJsonAsync("/api/v1/public/citizen-code", new { idNumber = number, name = "居民0" })).Content.ReadFromJsonAsync<JsonElement>();
        var code = mine.GetProperty("code").GetString()!;

        Assert.Equal(HttpStatusCode.NotFound, wrongName.StatusCode);
        Assert.Equal("identity_not_matched", (await wrongName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.StartsWith("FY1:", code, StringComparison.Ordinal);
        Assert.DoesNotContain(number, code, StringComparison.Ordinal);
        Assert.Equal(number[..3] + "***********" + number[14..], mine.GetProperty("idMasked").GetString());

        await world.OpenBoxAsync(world.Boxes[0]);
        await world.OpenTubeAsync(world.Boxes[0], world.Tubes[0], 1);
        var added = await world.AddAsync(world.Tubes[0], code);
        Assert.Equal(201, added.Status);
        Assert.Equal(number[..3] + "***********" + number[14..], added.Body.GetProperty("idMasked").GetString());
        var forged = await world.AddAsync(world.Tubes[0], code[..^2] + (code[^2] == 'A' ? "B" : "A") + code[^1]);
        Assert.Equal("person_invalid", forged.Body.GetProperty("code").GetString());

        var pending = await (await resident.PostAsJsonAsync("/api/v1/public/results/by-code", new { code })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("待出结果", pending.GetProperty("results")[0].GetProperty("resultName").GetString());
        await world.ActAsync(world.Sampler, "tube.seal", new { tube = world.Tubes[0] });
        await world.ActAsync(world.Sampler, "box.seal", new { box = world.Boxes[0] });
        var skipped = await world.ActAsync(world.Lab, "box.receive", new { box = world.Boxes[0] });
        Assert.Equal("box_not_picked_up", skipped.Body.GetProperty("code").GetString());
        await world.ActAsync(world.Courier, "box.pickup", new { box = world.Boxes[0] });
        await world.ActAsync(world.Lab, "box.receive", new { box = world.Boxes[0] });
        await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube = world.Tubes[0], result = "negative" } });

        var byIdentity = await (await resident.PostAsJsonAsync("/api/v1/public/results", new { idNumber = number, name = "居民0" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("阴性", byIdentity.GetProperty("results")[0].GetProperty("resultName").GetString());
        Assert.Equal("居*0", byIdentity.GetProperty("name").GetString());
    }

    [Fact]
    public async Task LabelsAndCitizenSheets_PrintAsHtmlAndPdf_WithinTheJurisdiction()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        var world = await SamplingWorld.CreateAsync(app);
        await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng);
        using var worker = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        using var other = await app.ClientAsync("worker2", Roles.VillageWorker, Villages.Xicheng);
        var batches = await world.Admin.PostAsJsonAsync("/api/v1/sampling/codes", new { type = "tube", count = 35, title = "青县 试管码" });
        var batch = (await batches.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var html = await world.Admin.GetStringAsync($"/api/v1/sampling/codes/{batch}/labels?layout=a4");
        var pdf = await world.Admin.GetByteArrayAsync($"/api/v1/sampling/codes/{batch}/labels?layout=thermal&format=pdf");
        var sheet = await worker.GetByteArrayAsync($"/api/v1/citizen-codes/sheet?division={Villages.Simazhuang}&format=pdf");
        var foreign = await other.GetAsync($"/api/v1/citizen-codes/sheet?division={Villages.Simazhuang}");

        Assert.Equal(35, html.Split("<svg").Length - 1);
        Assert.Contains(world.Tubes[0][..1], html, StringComparison.Ordinal);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
        var text = Poppler.Text(Poppler.Save(pdf, "api-thermal"));
        Assert.Contains("青县 试管码", text, StringComparison.Ordinal);
        var sheetText = Poppler.Text(Poppler.Save(sheet, "api-citizen-sheet"));
        Assert.Contains("司马庄村民委员会", sheetText, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}
