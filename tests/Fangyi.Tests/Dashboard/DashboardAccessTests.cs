using Fangyi.Features.Sampling;
using Fangyi.Features.Checkpoint;
using Fangyi.Features.Residents;
using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Features.Dashboard;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using MiniExcelLibs;

namespace Fangyi.Tests.Dashboard;

public class DashboardAccessTests
{
    /// <summary>A screen signed in as the client's account, on the test server's hub (long polling), started.</summary>
    internal static async Task<HubConnection> ScreenAsync(TestApp app, HttpClient signedIn, Action<HubConnection>? before = null)
    {
        var token = signedIn.DefaultRequestHeaders.Authorization!.Parameter;
        var server = app.App.GetTestServerOrNull()!;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, DashboardHub.Path), options =>
            {
                // Long polling sends the token as a header, which the bearer scheme reads; the test server has no sockets.
                options.Transports = HttpTransportType.LongPolling;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                options.AccessTokenProvider = () => Task.FromResult(token);
            })
            .Build();
        before?.Invoke(connection);
        await connection.StartAsync();
        return connection;
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Screen_ShowsOnlyTheAccountsOwnSubtree_OnTheApiAndTheHub(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Xicheng);
        var county = world.Admin;
        using var commander = await app.ClientAsync("city_commander", Roles.Commander, People.Cangzhou);
        var sampler = world.Sampler;

        var mine = await county.GetFromJsonAsync<JsonElement>($"/api/v1/dashboard/view?round={world.RoundId}");
        Assert.Equal(People.Qingxian, mine.GetProperty("here").GetProperty("place").GetProperty("code").GetInt64());
        // The breadcrumb starts at the account's own division: nothing above it is offered.
        Assert.Equal(["青县"], mine.GetProperty("path").EnumerateArray().Select(p => p.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(2, mine.GetProperty("here").GetProperty("numbers").GetProperty(ResidentCounters.Residents).GetDouble());
        // Counted by the checkpoint: none yet, which is a zero, not a gap.
        Assert.Equal(0, mine.GetProperty("here").GetProperty("numbers").GetProperty(CheckpointCounters.Checks).GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync($"/api/v1/dashboard/view?round={world.RoundId}&division={People.Cangxian}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync($"/api/v1/dashboard/view?round={world.RoundId}&division={People.Cangzhou}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await county.GetAsync($"/api/v1/dashboard/export?round={world.RoundId}&division={People.Cangxian}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sampler.GetAsync($"/api/v1/dashboard/view?round={world.RoundId}")).StatusCode);
        var city = await commander.GetFromJsonAsync<JsonElement>($"/api/v1/dashboard/view?round={world.RoundId}");
        Assert.Equal(19, city.GetProperty("children").GetArrayLength());

        // The hub checks the same: a county's screen cannot watch the next county, nor the city.
        await using var countyScreen = await ScreenAsync(app, county);
        var refused = await Assert.ThrowsAsync<HubException>(() => countyScreen.InvokeAsync<JsonElement>("Watch", world.RoundId, People.Cangxian));
        Assert.Contains("不在您的管辖范围内", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HubException>(() => countyScreen.InvokeAsync<JsonElement>("Watch", world.RoundId, People.Cangzhou));
        await using var samplerScreen = new HubConnectionBuilder().WithUrl(new Uri(app.App.GetTestServerOrNull()!.BaseAddress, DashboardHub.Path), options =>
        {
            options.Transports = HttpTransportType.LongPolling;
            options.HttpMessageHandlerFactory = _ => app.App.GetTestServerOrNull()!.CreateHandler();
            options.AccessTokenProvider = () => Task.FromResult(sampler.DefaultRequestHeaders.Authorization!.Parameter);
        }).Build();
        await Assert.ThrowsAnyAsync<Exception>(() => samplerScreen.StartAsync());

        // Watching its own county, it gets the scans of its villages as deltas: only what changed.
        var deltas = new List<JsonElement>();
        countyScreen.On<JsonElement>("delta", d => { lock (deltas) { deltas.Add(d); } });
        var view = await countyScreen.InvokeAsync<JsonElement>("Watch", world.RoundId, People.Qingxian);
        Assert.Equal(0, view.GetProperty("here").GetProperty("numbers").GetProperty(SamplingCounters.People).GetDouble());
        Assert.Equal(201, (await world.OpenBoxAsync(world.Boxes[0])).Status);
        Assert.Equal(201, (await world.OpenTubeAsync(world.Boxes[0], world.Tubes[0], 5)).Status);
        Assert.Equal(201, (await world.AddAsync(world.Tubes[0], people[0])).Status);
        JsonElement[] got = [];
        await Until.TrueAsync(() =>
        {
            lock (deltas)
            {
                got = deltas.ToArray();
            }
            return got.Any(d => Node(d, People.Qingxian)?.GetProperty("numbers").TryGetProperty(SamplingCounters.People, out _) == true);
        }, "the county's people sampled reach its screen");
        var own = got.Select(d => Node(d, People.Qingxian)).Last(n => n?.GetProperty("numbers").TryGetProperty(SamplingCounters.People, out _) == true)!.Value;
        Assert.Equal(1, own.GetProperty("numbers").GetProperty(SamplingCounters.People).GetDouble());
        Assert.False(own.GetProperty("numbers").TryGetProperty(SamplingCounters.TubesPrefix + "received", out _));
        var township = got.Select(d => Node(d, People.Qingzhou)).Last(n => n is not null)!.Value;
        Assert.Equal(1, township.GetProperty("numbers").GetProperty(SamplingCounters.People).GetDouble());
        Assert.DoesNotContain(got, d => Node(d, Villages.Simazhuang) is not null);
    }

    private static JsonElement? Node(JsonElement delta, long code) =>
        delta.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("code").GetInt64() == code).Select(n => (JsonElement?)n).FirstOrDefault();

    [Fact]
    public async Task Reports_TheViewAsASheet_AndTheDayAsAPdf()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Xiaoniuzhuang);
        var (_, tube) = await world.ReceivedTubeAsync([people[0], people[2]], 5, 0, 0);
        // Counted before the lab was answered (the counters observe each commit first): nothing to wait for.
        (await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube, result = "negative" } })).EnsureSuccessStatusCode();

        var sheet = await world.Admin.GetByteArrayAsync($"/api/v1/dashboard/export?round={world.RoundId}");
        using var stream = new MemoryStream(sheet);
        var rows = (await stream.QueryAsync(useHeaderRow: true)).Cast<IDictionary<string, object>>().ToList();
        var total = rows.Single(r => ((string)r["区划"]).StartsWith("合计", StringComparison.Ordinal));
        Assert.Equal(3.0, Convert.ToDouble(total["实有人口"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2.0, Convert.ToDouble(total["已采人数"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(66.7, Convert.ToDouble(total["覆盖率(%)"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(2.0, Convert.ToDouble(total["阴性(人)"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1.0, Convert.ToDouble(rows.Single(r => (string)r["区划"] == "金牛镇")["已采人数"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(total.ContainsKey("全程用时P50(分钟)"));

        var pdf = await world.Admin.GetAsync($"/api/v1/dashboard/daily.pdf?round={world.RoundId}");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var path = Poppler.Save(await pdf.Content.ReadAsByteArrayAsync(), "dashboard-daily");
        var text = Poppler.Text(path);
        Assert.Contains("核酸采样日报", text, StringComparison.Ordinal);
        Assert.Contains("清州镇", text, StringComparison.Ordinal);
        Assert.Contains("66.7%", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await world.Admin.GetAsync($"/api/v1/dashboard/daily.pdf?round={world.RoundId}&date=29-11-2026")).StatusCode);
    }
}
