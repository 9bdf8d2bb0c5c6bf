using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Residents;

public class ResidentApiTests
{
    private static object Person(string id, long division, string name = "张三", string? clientId = null, string? phone = "13812345678", string? tags = null) =>
        new { clientId, idNumber = id, name, phone, division = People.Code(division), tags };

    private static async Task<long> FirstVillageAsync(HttpClient client, long township)
    {
        var children = await client.GetFromJsonAsync<JsonElement>($"/api/v1/divisions/{township}/children");
        return children[0].GetProperty("code").GetInt64();
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Upsert_WithTheSameClientIdTwice_WritesOnceAndAnswersTheSame(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var body = Person(People.NewId(), People.Simazhuang, clientId: "phone-1-scan-1");

        var first = await client.PutAsJsonAsync("/api/v1/residents", body);
        var second = await client.PutAsJsonAsync("/api/v1/residents", body);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents"));
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE client_id = 'phone-1-scan-1'"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Upsert_TheSameIdNumberAgain_MergesInsteadOfDoubling(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var id = People.NewId();

        var created = await (await client.PutAsJsonAsync("/api/v1/residents", Person(id, People.Simazhuang, tags: "独居老人"))).Content.ReadFromJsonAsync<JsonElement>();
        var merged = await client.PutAsJsonAsync("/api/v1/residents", Person(id.ToLowerInvariant(), People.Simazhuang, name: "张三丰", phone: null, tags: "重点人群"));

        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        var body = await merged.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(created.GetProperty("id").GetInt64(), body.GetProperty("id").GetInt64());
        Assert.Equal("updated", body.GetProperty("outcome").GetString());
        var resident = await client.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{body.GetProperty("id").GetInt64()}");
        Assert.Equal("张三丰", resident.GetProperty("name").GetString());
        Assert.Equal("138****5678", resident.GetProperty("phoneMasked").GetString()); // an empty phone keeps the old one
        Assert.Equal(["独居老人", "重点人群"], resident.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Order().ToArray());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Upsert_BadInput_IsAProblemWithEveryFieldAndStoresNothing(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var id = People.NewId();
        var badCheck = id[..17] + (id[17] == '0' ? '1' : '0');

        var response = await client.PutAsJsonAsync("/api/v1/residents", new { idNumber = badCheck, name = "", phone = "12345", division = "130922100000" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("resident_invalid", problem.GetProperty("code").GetString());
        var codes = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()!).ToList();
        Assert.Equal(["id_check_character", "name_invalid", "phone_invalid", "division_not_village"], codes);
        Assert.Contains("校验位", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task IdentityNumbers_AreStoredOnlyAsHashCiphertextAndMask(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var id = People.NewId();
        await client.PutAsJsonAsync("/api/v1/residents", Person(id, People.Simazhuang));

        await using var connection = await app.Store.OpenAsync();
        var row = await connection.QuerySingleAsync("SELECT * FROM residents");
        var everything = string.Join("|", ((IDictionary<string, object?>)row).Values.Select(v => v switch
        {
            byte[] b => System.Text.Encoding.UTF8.GetString(b) + Convert.ToHexString(b),
            _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
        }));
        Assert.DoesNotContain(id, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(id[6..14], everything, StringComparison.Ordinal); // not even the birth date part in clear
        Assert.DoesNotContain("13812345678", everything, StringComparison.Ordinal);
        Assert.Equal(IdMask(id), (string)row.id_masked);
    }

    private static string IdMask(string id) => id[..3] + "***********" + id[14..];

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Search_ByFullIdNumber_FindsTheResidentByItsHash(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var id = People.NewId();
        await client.PutAsJsonAsync("/api/v1/residents", Person(id, People.Simazhuang, name: "李四"));
        await client.PutAsJsonAsync("/api/v1/residents", Person(People.NewId(), People.Simazhuang, name: "王五"));

        var byId = await (await client.PostAsJsonAsync("/api/v1/residents/search", new { q = id })).Content.ReadFromJsonAsync<JsonElement>();
        var byName = await client.GetFromJsonAsync<JsonElement>("/api/v1/residents?q=王");

        Assert.Equal("李四", Assert.Single(byId.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("王五", Assert.Single(byName.EnumerateArray()).GetProperty("name").GetString());
    }
}
