using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Features.Accounts;
using Fangyi.Features.Residents;
using Fangyi.Tests.Support;

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
        var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
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
            Assert.Contains("identity_unreadable", body);
            Assert.DoesNotContain(second, body);
            Assert.DoesNotContain("13912345678", body);
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Reprotect_SealsRowsOfTheOldFormBoundToTheirRow_AndTheyStillOpen(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
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
}
