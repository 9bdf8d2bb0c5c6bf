using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Checkpoint;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using Fangyi.Tests.Support;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Fangyi.Tests.Sampling;

/// <summary>
/// The demo's showcase residents, whose verdicts the README and the start-up banner promise, keep them: sampled into
/// the demo's running round by anyone, they are put back at the next start.
/// </summary>
public class DemoShowcaseTests
{
    private static async Task<string> VerdictAsync(HttpClient kiosk, string number)
    {
        var response = await kiosk.PostAsJsonAsync("/api/v1/checkpoint/verify", new { input = number, clientId = Guid.NewGuid().ToString("N") });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString()!;
    }

    private static HttpClient Kiosk(HttpClient client)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Device", "D000001." + CheckpointDemo.DeviceSecret);   // the mall, 72 h
        return client;
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ShowcaseResidentsSampledIntoTheDemoRound_ShowTheirPromisedVerdictsAgainAfterARestart(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind, tweak: o => o with { Demo = true, DemoResidents = 40 });
        var showcase = ResidentsDemo.Population(app.Get<DivisionDirectory>().Tree, ResidentsDemo.Showcase).Select(p => p.IdNumber!).ToList();
        var (passes, noRecord, pending) = (showcase[0], showcase[7], showcase[6]);
        using var kiosk = Kiosk(app.Anonymous());
        Assert.Equal(Verdicts.Pass, await VerdictAsync(kiosk, passes));
        Assert.Equal(Verdicts.NoResult, await VerdictAsync(kiosk, noRecord));

        // A sampler at the demo's site takes both into the city-wide round.
        using var admin = await app.ClientAsync("t_admin", Roles.Admin, DemoDivisions.Cangzhou);
        using var sampler = await app.ClientAsync("t_sampler", Roles.Sampler, DemoDivisions.Simazhuang);
        var rounds = await admin.GetFromJsonAsync<JsonElement>("/api/v1/sampling/rounds");
        var round = rounds.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "沧州市第一轮全员核酸").GetProperty("id").GetInt64();
        var sites = await sampler.GetFromJsonAsync<JsonElement>("/api/v1/sampling/sites");
        var site = sites.EnumerateArray().Where(s => s.GetProperty("name").GetString() == "司马庄村委会采样点").Min(s => s.GetProperty("id").GetInt64());
        async Task<string> CodeAsync(string type, CodeType codeType)
        {
            var batch = await (await admin.PostAsJsonAsync("/api/v1/sampling/codes", new { type, count = 1 })).Content.ReadFromJsonAsync<JsonElement>();
            return new SampleCode(codeType, batch.GetProperty("firstSerial").GetInt64()).ToString();
        }
        var (box, tube) = (await CodeAsync("box", CodeType.Box), await CodeAsync("tube", CodeType.Tube));
        async Task ScanAsync(object scan)
        {
            var response = await sampler.PostAsJsonAsync("/api/v1/scans", scan);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        await ScanAsync(new { clientId = "d1", action = "box.open", box, roundId = round, siteId = site });
        await ScanAsync(new { clientId = "d2", action = "tube.open", box, tube, capacity = 10 });
        await ScanAsync(new { clientId = "d3", action = "sample.add", tube, person = passes });
        await ScanAsync(new { clientId = "d4", action = "sample.add", tube, person = noRecord });
        Assert.Equal(Verdicts.ResultPending, await VerdictAsync(kiosk, noRecord));

        // The next start puts the showcase back as the banner prints it; the tube keeps its count right.
        await using var again = await app.RestartAsync();
        using var kioskAgain = Kiosk(again.GetTestClient());
        Assert.Equal(Verdicts.Pass, await VerdictAsync(kioskAgain, passes));
        Assert.Equal(Verdicts.NoResult, await VerdictAsync(kioskAgain, noRecord));
        Assert.Equal(Verdicts.ResultPending, await VerdictAsync(kioskAgain, pending));
        await using (var connection = await again.Services.GetRequiredService<Fangyi.Core.Storage.Store>().OpenAsync())
        {
            Assert.Equal(0L, await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection, "SELECT people FROM tubes WHERE code = @tube", new { tube }));
        }
        await again.StopAsync();
    }
}
