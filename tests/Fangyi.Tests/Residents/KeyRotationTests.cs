using Fangyi.Core.Storage;
using Fangyi.Core.Jurisdiction;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Cli;
using Fangyi.Core.Identity;
using Fangyi.Features.Residents;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Residents;

public class KeyRotationTests
{
    private static async Task<List<(long Id, string Number)>> SeedAsync(HttpClient admin, int count)
    {
        var people = new List<(long, string)>();
        for (var i = 0; i < count; i++)
        {
            var number = People.NewId();
            var response = await admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = $"居民{i}", phone = $"1390000{i:D4}", division = People.Code(Villages.Simazhuang) });
            people.Add(((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), number));
        }
        return people;
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Rotate_MovesEveryResidentToTheNewKeyWithoutLosingAny(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var people = await SeedAsync(admin, 12);
        var keys = app.Get<KeyRing>();
        var oldKey = keys.Active.Id;
        await using var connection = await app.Store.OpenAsync();
        var oldHashes = (await connection.QueryAsync<byte[]>("SELECT id_hash FROM residents")).Select(Convert.ToHexString).ToHashSet();

        var report = await KeyRotation.RotateAsync(app.Store, keys);

        Assert.Equal(12, report.Moved);
        Assert.Equal([oldKey], report.Retired.ToArray());
        Assert.NotEqual(oldKey, keys.Active.Id);
        Assert.Equal(12, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents WHERE key_id = @k", new { k = keys.Active.Id }));
        var newHashes = (await connection.QueryAsync<byte[]>("SELECT id_hash FROM residents")).Select(Convert.ToHexString).ToHashSet();
        Assert.Empty(oldHashes.Intersect(newHashes));
        foreach (var (id, number) in people)
        {
            var identity = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{id}/identity");
            Assert.Equal(number, identity.GetProperty("idNumber").GetString());
            var found = await (await admin.PostAsJsonAsync("/api/v1/residents/search", new { q = number })).Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(id, Assert.Single(found.EnumerateArray()).GetProperty("id").GetInt64());
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task HalfDoneRotation_StillFindsAndMergesRowsUnderTheOldKey(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var (id, number) = (await SeedAsync(admin, 1))[0];
        var keys = app.Get<KeyRing>();

        keys.AddActiveKey(); // the sweep has not run yet

        var found = await (await admin.PostAsJsonAsync("/api/v1/residents/search", new { q = number })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, Assert.Single(found.EnumerateArray()).GetProperty("id").GetInt64());
        var again = await (await admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = "改名", division = People.Code(Villages.Simazhuang) }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, again.GetProperty("id").GetInt64());
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents"));
        Assert.Equal(keys.Active.Id, await connection.ExecuteScalarAsync<long>("SELECT key_id FROM residents"));
    }

    [Fact]
    public async Task KeysRotateCommand_RotatesTheKeyFileOfTheDataFolder()
    {
        var folder = TestStore.TempFolder();
        var store = Path.Combine(folder, "fangyi.db");
        await using (var app = await TestApp.StartAsync(StoreKind.Sqlite, tweak: o => o with { Store = store, DataDir = folder }))
        {
            using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
            await SeedAsync(admin, 3);
        }

        var exit = await Commands.Root().Parse(["keys", "rotate", "--store", store, "--data", folder]).InvokeAsync();

        Assert.Equal(0, exit);
        var keys = KeyRing.OpenOrCreate(Path.Combine(folder, "keys.json"));
        Assert.Equal(2, keys.Active.Id);
        Assert.True(keys.All.Single(k => k.Id == 1).Retired);
        await using var check = Store.FromSpec(store);
        await using var connection = await check.OpenAsync();
        Assert.Equal(3, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents WHERE key_id = 2"));
    }

    [Fact]
    public void Ciphertext_FromAnotherKeyFile_DoesNotOpen()
    {
        var a = KeyRing.OpenOrCreate(Path.Combine(TestStore.TempFolder(), "keys.json"));
        var b = KeyRing.OpenOrCreate(Path.Combine(TestStore.TempFolder(), "keys.json"));
        var blob = a.Encrypt("13092219850715123X");

        Assert.Equal("13092219850715123X", a.Decrypt(blob));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => b.Decrypt(blob));
        Assert.NotEqual(Convert.ToHexString(a.Hash("resident_id", "13092219850715123X")), Convert.ToHexString(b.Hash("resident_id", "13092219850715123X")));
    }
}
