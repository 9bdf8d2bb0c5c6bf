using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Jurisdiction;
using Fangyi.Tests.Support;
using MiniExcelLibs;

namespace Fangyi.Tests.Jurisdiction;

public class JurisdictionTests
{
    /// <summary>One resident in each of four villages: two in one township of 青县, one in another township, one in 沧县.</summary>
    private static async Task<Dictionary<long, long>> SeedAsync(TestApp app)
    {
        using var city = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
        var ids = new Dictionary<long, long>();
        foreach (var village in new[] { Villages.Simazhuang, Villages.Xicheng, Villages.Xiaoniuzhuang, Villages.Dongguan })
        {
            var response = await city.PutAsJsonAsync("/api/v1/residents", new { idNumber = People.NewId(), name = $"居民{village % 1000}", division = People.Code(village) });
            response.EnsureSuccessStatusCode();
            ids[village] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        }
        return ids;
    }

    private static async Task<long[]> ListedVillagesAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/api/v1/residents?limit=100")).EnumerateArray().Select(r => r.GetProperty("division").GetInt64()).Order().ToArray();

    private static async Task<string[]> ExportedVillagesAsync(HttpClient client)
    {
        var csv = await client.GetStringAsync("/api/v1/residents/export?format=csv");
        return csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[5]).Order().ToArray();
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task TwoVillages_EachWorkerSeesOnlyTheirOwn(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var ids = await SeedAsync(app);
        using var simazhuang = await app.ClientAsync("worker-a", Roles.VillageWorker, Villages.Simazhuang);
        using var xicheng = await app.ClientAsync("worker-b", Roles.VillageWorker, Villages.Xicheng);

        Assert.Equal(new[] { Villages.Simazhuang }, await ListedVillagesAsync(simazhuang));
        Assert.Equal(new[] { Villages.Xicheng }, await ListedVillagesAsync(xicheng));
        Assert.Equal(HttpStatusCode.OK, (await simazhuang.GetAsync($"/api/v1/residents/{ids[Villages.Simazhuang]}")).StatusCode);
        var outside = await simazhuang.GetAsync($"/api/v1/residents/{ids[Villages.Xicheng]}");
        var unknown = await simazhuang.GetAsync("/api/v1/residents/999999");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
        // Outside the jurisdiction looks exactly like nothing at all.
        Assert.Equal(await Strip(unknown), await Strip(outside));
    }

    private static async Task<string> Strip(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return $"{body.GetProperty("status")}|{body.GetProperty("code")}|{body.GetProperty("title")}";
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task TwoCounties_AdminsListReadAndExportOnlyTheirOwn(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var ids = await SeedAsync(app);
        using var qingxian = await app.ClientAsync("qingxian", Roles.Admin, People.Qingxian);
        using var cangxian = await app.ClientAsync("cangxian", Roles.Admin, People.Cangxian);

        Assert.Equal(new[] { Villages.Xicheng, Villages.Simazhuang, Villages.Xiaoniuzhuang }, await ListedVillagesAsync(qingxian));
        Assert.Equal(new[] { Villages.Dongguan }, await ListedVillagesAsync(cangxian));
        Assert.Equal(new[] { People.Code(Villages.Xicheng), People.Code(Villages.Simazhuang), People.Code(Villages.Xiaoniuzhuang) }, await ExportedVillagesAsync(qingxian));
        Assert.Equal(new[] { People.Code(Villages.Dongguan) }, await ExportedVillagesAsync(cangxian));
        Assert.Equal(HttpStatusCode.NotFound, (await qingxian.GetAsync($"/api/v1/residents/{ids[Villages.Dongguan]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cangxian.GetAsync($"/api/v1/residents/{ids[Villages.Simazhuang]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await cangxian.GetAsync($"/api/v1/residents/{ids[Villages.Simazhuang]}/identity")).StatusCode);

        // Asking for the other county's division by filter yields nothing, not its rows.
        var foreign = await qingxian.GetFromJsonAsync<JsonElement>($"/api/v1/residents?division={People.Cangxian}");
        Assert.Empty(foreign.EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task TownshipAdmin_ExportsXlsxOfItsTownshipOnly(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        await SeedAsync(app);
        using var township = await app.ClientAsync("qingzhou", Roles.Admin, People.Qingzhou);

        var bytes = await township.GetByteArrayAsync("/api/v1/residents/export?format=xlsx");

        using var stream = new MemoryStream(bytes);
        var rows = (await stream.QueryAsync(useHeaderRow: true)).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal([People.Code(Villages.Xicheng), People.Code(Villages.Simazhuang)], rows.Select(r => (string)r["区划代码"]).Order().ToArray());
        Assert.All(rows, r => Assert.Contains("********", (string)r["证件号码"], StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Writes_OutsideTheJurisdiction_AreRefused(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var qingxian = await app.ClientAsync("qingxian", Roles.Admin, People.Qingxian);

        var response = await qingxian.PutAsJsonAsync("/api/v1/residents", new { idNumber = People.NewId(), name = "外县人", division = People.Code(Villages.Dongguan) });
        var account = await qingxian.PostAsJsonAsync("/api/v1/accounts", new { username = "sampler1", displayName = "沧县采样员", role = "sampler", division = Villages.Dongguan });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("outside_jurisdiction", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, account.StatusCode);
        Assert.Equal("outside_jurisdiction", (await account.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public void ScopedQueries_WithoutTheScopeMarker_AreRefused()
    {
        var db = new ScopedDb(null!, Scope.Of(People.Qingxian));
        Assert.Throws<InvalidOperationException>(() => db.Bind("SELECT * FROM residents", null));
        var (sql, args) = db.Bind("SELECT * FROM residents WHERE {scope:division}", null);
        Assert.Equal("SELECT * FROM residents WHERE (division BETWEEN @scope_low AND @scope_high)", sql);
        Assert.Equal(130922000000L, args.Get<long>("scope_low"));
        Assert.Equal(130922999999L, args.Get<long>("scope_high"));
    }

    [Theory]
    [InlineData(130900000000, 130900000000, 130999999999)] // city: 4-digit prefix
    [InlineData(130922000000, 130922000000, 130922999999)] // county: 6
    [InlineData(130922100000, 130922100000, 130922100999)] // township: 9
    [InlineData(130922100238, 130922100238, 130922100238)] // village: all 12
    public void Scope_IsTheCodePrefixOfTheDivisionsLevel(long division, long low, long high) =>
        Assert.Equal((low, high), (Scope.Of(division).Low, Scope.Of(division).High));
}
