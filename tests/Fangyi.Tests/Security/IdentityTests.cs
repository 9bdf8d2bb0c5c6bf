using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Features.Residents;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using System.Net.Http.Headers;
using System.Text;

namespace Fangyi.Tests.Security;

public class IdentityTests
{
    private static async Task<long> PutAsync(HttpClient client, string number, long village, string name = "张三", string? phone = null)
    {
        var response = await client.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name, phone, division = People.Code(village) });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Reveal_OfACiphertextCopiedFromAnotherRow_IsAProblemNotTheOtherNumber(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var (first, second) = (People.NewId(), People.NewId());
        var a = await PutAsync(admin, first, People.Simazhuang, phone: "13812345678");
        var b = await PutAsync(admin, second, People.Simazhuang, phone: "13912345678");

        await using (var connection = await app.Store.OpenAsync())
        {
            var ciphers = (await connection.QueryAsync<(long Id, byte[] Cipher, byte[] Phone)>("SELECT id, id_cipher, phone_cipher FROM residents ORDER BY id")).ToDictionary(r => r.Id);
            await connection.ExecuteAsync("UPDATE residents SET id_cipher = @c WHERE id = @id", new { c = ciphers[b].Cipher, id = a });
            // And the row's own phone ciphertext moved into its number's place: bound to the field too.
            await connection.ExecuteAsync("UPDATE residents SET id_cipher = @c WHERE id = @id", new { c = ciphers[b].Phone, id = b });
        }
        var swapped = await admin.GetAsync($"/api/v1/residents/{a}/identity");
        var fieldSwapped = await admin.GetAsync($"/api/v1/residents/{b}/identity");

        foreach (var response in new[] { swapped, fieldSwapped })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("identity_unreadable", body, StringComparison.Ordinal);
            Assert.DoesNotContain(second, body, StringComparison.Ordinal);
            Assert.DoesNotContain("13912345678", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Reprotect_SealsRowsOfTheOldFormBoundToTheirRow_AndTheyStillOpen(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var number = People.NewId();
        var id = await PutAsync(admin, number, People.Simazhuang, phone: "13812345678");
        var keys = app.Get<KeyRing>();
        await using (var connection = await app.Store.OpenAsync())
        {
            // As a store written before 0007 holds it: sealed to the key id only.
            await connection.ExecuteAsync("UPDATE residents SET id_cipher = @c, phone_cipher = @p WHERE id = @id",
                new { c = KeyRing.Encrypt(keys.Active, number), p = KeyRing.Encrypt(keys.Active, "13812345678"), id });
            await connection.ExecuteAsync("INSERT INTO reprotect_pending (step) VALUES (@s)", new { s = IdentityReprotect.Step });
        }
        Assert.Equal(HttpStatusCode.Conflict, (await admin.GetAsync($"/api/v1/residents/{id}/identity")).StatusCode);

        Assert.Equal(1, await IdentityReprotect.RunAsync(app.Store, keys));
        Assert.Equal(0, await IdentityReprotect.RunAsync(app.Store, keys));

        var identity = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/identity");
        Assert.Equal(number, identity.GetProperty("idNumber").GetString());
        Assert.Equal("13812345678", identity.GetProperty("phone").GetString());
    }

    private static async Task<(TestApp App, HttpClient Qingxian, HttpClient Cangxian, string Number, long Id)> HeldInCangxianAsync(StoreKind kind)
    {
        var app = await TestApp.StartAsync(kind);
        var qingxian = await app.ClientAsync("qingxian", Roles.Admin, People.Qingxian);
        var cangxian = await app.ClientAsync("cangxian", Roles.Admin, People.Cangxian);
        var number = People.NewId(130921);
        var id = await PutAsync(cangxian, number, Villages.Dongguan, name: "沧县人", phone: "13712345678");
        return (app, qingxian, cangxian, number, id);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Upsert_OfAPersonHeldInAnotherCounty_BecomesATransferRequest(StoreKind kind)
    {
        var (app, qingxian, cangxian, number, id) = await HeldInCangxianAsync(kind);
        await using var _ = app;

        var response = await qingxian.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = "改名", phone = "13000000000", division = People.Code(People.Simazhuang) });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var answer = JsonDocument.Parse(body).RootElement;
        Assert.Equal("transfer_requested", answer.GetProperty("outcome").GetString());
        Assert.True(answer.GetProperty("transferId").GetInt64() > 0);
        Assert.Equal(2, answer.EnumerateObject().Count());
        Assert.DoesNotContain("沧县人", body, StringComparison.Ordinal);
        Assert.DoesNotContain(People.Code(Villages.Dongguan), body, StringComparison.Ordinal);
        // Nothing moved, nothing opened: the person is still 沧县's, as 沧县 wrote them.
        var held = await cangxian.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}");
        Assert.Equal((Villages.Dongguan, "沧县人"), (held.GetProperty("division").GetInt64(), held.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await qingxian.GetAsync($"/api/v1/residents/{id}/identity")).StatusCode);
        Assert.Equal("13712345678", (await cangxian.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/identity")).GetProperty("phone").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Transfer_IsDecidedByTheHoldingSide_TheRequesterSeesNoHolderDetails_AndAcceptMovesThePerson(StoreKind kind)
    {
        var (app, qingxian, cangxian, number, id) = await HeldInCangxianAsync(kind);
        await using var _ = app;
        var requested = await qingxian.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = "改名", phone = "13000000000", division = People.Code(People.Simazhuang), tags = "迁入" });
        var transfer = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transferId").GetInt64();

        var mine = Assert.Single((await qingxian.GetFromJsonAsync<JsonElement>("/api/v1/residents/transfers")).EnumerateArray());
        var theirs = Assert.Single((await cangxian.GetFromJsonAsync<JsonElement>("/api/v1/residents/transfers")).EnumerateArray());
        var refused = await qingxian.PostAsync($"/api/v1/residents/transfers/{transfer}/accept", null);
        var accepted = await cangxian.PostAsync($"/api/v1/residents/transfers/{transfer}/accept", null);
        var again = await cangxian.PostAsync($"/api/v1/residents/transfers/{transfer}/decline", null);

        Assert.False(mine.GetProperty("holding").GetBoolean());
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("residentId").ValueKind);
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("fromDivision").ValueKind);
        Assert.DoesNotContain("沧县", mine.GetRawText().Replace(mine.GetProperty("toPath").GetString()!, "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.True(theirs.GetProperty("holding").GetBoolean());
        Assert.Equal(id, theirs.GetProperty("residentId").GetInt64());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("transfer_not_holder", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var moved = await qingxian.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}");
        Assert.Equal((People.Simazhuang, "改名"), (moved.GetProperty("division").GetInt64(), moved.GetProperty("name").GetString()));
        Assert.Contains("迁入", moved.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("13000000000", (await qingxian.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/identity")).GetProperty("phone").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await cangxian.GetAsync($"/api/v1/residents/{id}")).StatusCode);
        await using var connection = await app.Store.OpenAsync();
        var trail = (await connection.QueryAsync<long>("SELECT division FROM audit_log WHERE action = 'resident.transfer_accepted'")).Order().ToList();
        Assert.Equal([Villages.Dongguan, People.Simazhuang], trail);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Transfer_DeclinedByACommonParent_LeavesThePersonWhereTheyAre(StoreKind kind)
    {
        var (app, qingxian, cangxian, number, id) = await HeldInCangxianAsync(kind);
        await using var _ = app;
        using var city = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
        var requested = await qingxian.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = "改名", division = People.Code(People.Simazhuang) });
        var transfer = (await requested.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transferId").GetInt64();

        var declined = await city.PostAsync($"/api/v1/residents/transfers/{transfer}/decline", null);

        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        Assert.Equal("declined", Assert.Single((await qingxian.GetFromJsonAsync<JsonElement>("/api/v1/residents/transfers")).EnumerateArray()).GetProperty("state").GetString());
        Assert.Equal(Villages.Dongguan, (await cangxian.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}")).GetProperty("division").GetInt64());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Import_RowOfAPersonHeldElsewhere_IsReportedAsNeedsTransfer(StoreKind kind)
    {
        var (app, qingxian, cangxian, number, id) = await HeldInCangxianAsync(kind);
        await using var _ = app;
        var csv = $"证件类型,证件号码,姓名,手机号,区划代码,户籍类型,标签\n身份证,{number},改名,,{People.Simazhuang},户籍,\n身份证,{People.NewId()},新人,,{People.Simazhuang},户籍,\n";
        using var form = new MultipartFormDataContent();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(content, "file", "people.csv");
        var started = await qingxian.PostAsync("/api/v1/residents/import", form);
        var status = await app.FinishedImportAsync(qingxian, started);

        var report = status.GetProperty("report");
        Assert.Equal((1, 0, 1, 0), (report.GetProperty("created").GetInt32(), report.GetProperty("updated").GetInt32(), report.GetProperty("needsTransfer").GetInt32(), report.GetProperty("errorCount").GetInt32()));
        Assert.Equal(Villages.Dongguan, (await cangxian.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}")).GetProperty("division").GetInt64());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Sampling_APersonHeldElsewhere_AtALocalSite_MovesNothing(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        using var cangxian = await app.ClientAsync("cangxian", Roles.Admin, People.Cangxian);
        var number = People.NewId(130921);
        var id = await PutAsync(cangxian, number, Villages.Dongguan, name: "沧县人");

        await world.ReceivedTubeAsync([number], 5, 0, 0);

        var held = await cangxian.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}");
        Assert.Equal((Villages.Dongguan, "沧县人"), (held.GetProperty("division").GetInt64(), held.GetProperty("name").GetString()));
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents"));
    }
}
