using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fangyi.Features.Divisions;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Divisions;

public class DivisionApiTests
{
    [Fact]
    public async Task Children_Path_AndSearch_ComeFromTheShippedTree()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);

        var counties = await client.GetFromJsonAsync<JsonElement>("/api/v1/divisions/130900000000/children");
        var path = await client.GetFromJsonAsync<JsonElement>($"/api/v1/divisions/{Villages.Simazhuang}/path");
        var one = await client.GetFromJsonAsync<JsonElement>($"/api/v1/divisions/{Villages.Simazhuang}");
        var found = await client.GetFromJsonAsync<JsonElement>("/api/v1/divisions/search?q=司马庄&within=130922000000");

        Assert.Equal(19, counties.GetArrayLength());
        Assert.Equal(["河北省", "沧州市", "青县", "清州镇", "司马庄村民委员会"], path.EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToArray());
        Assert.Equal("河北省沧州市青县清州镇司马庄村民委员会", one.GetProperty("path").GetString());
        Assert.Equal("village", one.GetProperty("level").GetString());
        Assert.Equal(Villages.Simazhuang, Assert.Single(found.EnumerateArray()).GetProperty("code").GetInt64());
    }

    [Fact]
    public async Task ResolveAddress_AnswersTheVillageOrSaysItIsAmbiguous()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);

        var village = await (await client.PostAsJsonAsync("/api/v1/addresses/resolve", new { address = "沧州市青县清州镇司马庄村3排5号" })).Content.ReadFromJsonAsync<JsonElement>();
        var ambiguous = await (await client.PostAsJsonAsync("/api/v1/addresses/resolve", new { address = "沧州市司马庄村" })).Content.ReadFromJsonAsync<JsonElement>();
        var none = await (await client.PostAsJsonAsync("/api/v1/addresses/resolve", new { address = "火星基地1号" })).Content.ReadFromJsonAsync<JsonElement>();
        var empty = await client.PostAsJsonAsync("/api/v1/addresses/resolve", new { address = " " });

        Assert.Equal("matched", village.GetProperty("status").GetString());
        Assert.Equal(Villages.Simazhuang, village.GetProperty("code").GetInt64());
        Assert.Equal("河北省沧州市青县清州镇司马庄村民委员会", village.GetProperty("path").GetString());
        Assert.Equal("village", village.GetProperty("level").GetString());
        Assert.Equal("3排5号", village.GetProperty("remainder").GetString());
        Assert.Equal("ambiguous", ambiguous.GetProperty("status").GetString());
        Assert.Equal(2, ambiguous.GetProperty("candidates").GetArrayLength());
        Assert.Equal("unmatched", none.GetProperty("status").GetString());
        Assert.Equal(0, none.GetProperty("confidence").GetDouble());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [Fact]
    public async Task ResolveAddress_SaysWhatItCorrected()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);

        var corrected = await (await client.PostAsJsonAsync("/api/v1/addresses/resolve", new { address = "青县清州镇思马庄3排5号" })).Content.ReadFromJsonAsync<JsonElement>();
        var exact = await (await client.PostAsJsonAsync("/api/v1/addresses/resolve", new { address = "青县清州镇司马庄村3排5号" })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("matched", corrected.GetProperty("status").GetString());
        Assert.Equal(Villages.Simazhuang, corrected.GetProperty("code").GetInt64());
        var correction = Assert.Single(corrected.GetProperty("corrections").EnumerateArray());
        Assert.Equal("思马庄", correction.GetProperty("written").GetString());
        Assert.Equal("司马庄村", correction.GetProperty("name").GetString());
        Assert.Equal("homophone", correction.GetProperty("kind").GetString());
        Assert.True(corrected.GetProperty("confidence").GetDouble() < exact.GetProperty("confidence").GetDouble());
        Assert.Equal(0, exact.GetProperty("corrections").GetArrayLength());
    }

    [Fact]
    public async Task AnUnknownCode_IsAClearProblem()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);

        var response = await client.GetAsync("/api/v1/divisions/130922999999/children");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("division_unknown", problem.GetProperty("code").GetString());
        Assert.Equal("区划代码不存在", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Divisions_NeedASignedInAccount()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);

        using var responseClient = app.Anonymous();
        var response = await responseClient.GetAsync("/api/v1/divisions/130900000000/children");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Import_ReportsBadRowsAndAddsTheGoodOnesToTheLiveTree(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var csv = string.Join('\n',
            "code,name,level,parent",
            "130922100901,新建社区居民委员会,village,130922100000",   // 2 good
            "13092210090,短代码,village,130922100000",                 // 3 bad code
            "130922100902,,village,130922100000",                      // 4 no name
            "130922100903,某村,hamlet,130922100000",                   // 5 bad level
            "130922100901,重复,village,130922100000",                  // 6 repeated code
            "130922100238,司马庄村民委员会,village,130922100000");     // 7 unchanged
        var directory = app.Get<DivisionCatalog>();

        var report = await directory.ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(csv)));

        Assert.Equal(6, report.Rows);
        Assert.Equal(1, report.Created);
        Assert.Equal(1, report.Unchanged);
        Assert.Equal([(3, "code"), (4, "name"), (5, "level"), (6, "code")], report.Errors.Select(e => (e.Row, e.Column)).ToArray());
        Assert.Equal("河北省沧州市青县清州镇新建社区居民委员会", directory.Tree.PathName(130922100901));

        // The store holds it too: a host started on the same store later sees it.
        var reloaded = new DivisionDirectory();
        await new DivisionCatalog(app.Store, reloaded).LoadAsync();
        Assert.NotNull(reloaded.Tree.Find(130922100901));
    }

    [Fact]
    public void ShippedDivisions_CoverCangzhouToVillagesAndChinaToCounties()
    {
        var tree = new DivisionTree(DivisionImport.Shipped());

        Assert.Equal(6094, tree.Descendants(130900000000).Count(d => d.Level == DivisionLevel.Village));
        Assert.Equal(209, tree.Descendants(130900000000).Count(d => d.Level == DivisionLevel.Township));
        Assert.True(tree.RegionExists(110101)); // 北京市东城区, for identity numbers from elsewhere
        Assert.Equal(31, tree.Roots.Count(d => d.Level == DivisionLevel.Province && d.Code < 710000000000));
    }
}
