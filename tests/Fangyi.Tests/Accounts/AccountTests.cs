using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Tests.Support;
using MiniExcelLibs;

namespace Fangyi.Tests.Accounts;

public class AccountTests
{
    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task BulkOpen_FromXlsx_OpensGoodRowsWithOneTimePasswordsAndReportsBadOnes(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        using var sheet = new MemoryStream();
        await sheet.SaveAsAsync(new[]
        {
            Row("cy001", "采样员一", "采样员", Villages.Simazhuang),    // 2 good
            Row("zy001", "转运员一", "courier", People.Qingxian),        // 3 good
            Row("jc001", "检测一", "检测机构", People.Qingzhou),           // 4 good
            Row("cy001", "重复", "采样员", Villages.Simazhuang),          // 5 duplicate username
            Row("wx001", "外县", "采样员", Villages.Dongguan),            // 6 outside 青县
            Row("gl001", "管理员", "管理员", Villages.Simazhuang),        // 7 admins are not opened in bulk
            Row("x", "短", "采样员", Villages.Simazhuang),                // 8 username too short
            Row("cy002", "无区划", "采样员", 130922999999),               // 9 unknown division
        });
        using var formPart = new ByteArrayContent(sheet.ToArray());
        using var form = new MultipartFormDataContent { { formPart, "file", "team.xlsx" } };

        var result = await (await admin.PostAsync("/api/v1/accounts/import", form)).Content.ReadFromJsonAsync<JsonElement>();

        var opened = result.GetProperty("opened").EnumerateArray().ToList();
        Assert.Equal(["cy001", "zy001", "jc001"], opened.Select(o => o.GetProperty("username").GetString()!).ToArray());
        Assert.Equal([5, 6, 7, 8, 9], result.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("row").GetInt32()).ToArray());

        // The one-time password works once, and only to change it.
        var password = opened[0].GetProperty("oneTimePassword").GetString()!;
        using var sampler = await app.SignInAsync("cy001", password);
        var blocked = await sampler.GetAsync("/api/v1/divisions/130922000000");
        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("password_change_required", (await blocked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var change = await sampler.PostAsJsonAsync("/api/v1/auth/password", new { oldPassword = password, newPassword = "Sample-2026" });
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);
        using var fresh = await app.SignInAsync("cy001", "Sample-2026");
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/v1/divisions/130922000000")).StatusCode);
        await Assert.ThrowsAsync<HttpRequestException>(() => app.SignInAsync("cy001", password));

        // Passwords are stored hashed only.
        await using var connection = await app.Store.OpenAsync();
        var hashes = await connection.QueryAsync<string>("SELECT password_hash FROM accounts");
        Assert.DoesNotContain(hashes, h => h.Contains(password, StringComparison.Ordinal) || h.Contains("Sample-2026", StringComparison.Ordinal));
    }

    private static Dictionary<string, object> Row(string username, string name, string role, long division) => new()
    {
        ["用户名"] = username,
        ["姓名"] = name,
        ["角色"] = role,
        ["区划代码"] = People.Code(division),
    };

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Login_AfterRepeatedFailures_MakesThatClientWaitInsteadOfLockingTheAccount(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        await app.CreateAccountAsync("sampler", Roles.Sampler, Villages.Simazhuang);
        using var client = app.Anonymous();

        var answers = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "sampler", password = "wrong-password" });
            answers.Add((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!);
        }
        var right = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "sampler", password = TestApp.Password });

        Assert.Equal(["bad_credentials", "bad_credentials", "bad_credentials", "bad_credentials", "bad_credentials", "login_delayed"], answers.ToArray());
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
        Assert.NotNull(right.Headers.RetryAfter);
    }

    [Fact]
    public async Task Login_IsRateLimitedPerAddress()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, tweak: o => o with { LoginsPerMinute = 3 });
        using var client = app.Anonymous();

        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            codes.Add((await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "x" })).StatusCode);
        }
        var limited = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "x" });

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes.ToArray());
        Assert.Equal("too_many_requests", (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task CookieLogin_GivesASessionThatReadsTheApi(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        await app.CreateAccountAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        using var client = app.Anonymous();

        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "worker", password = TestApp.Password });
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fangyi=", StringComparison.Ordinal)).Split(';')[0];
        var anonymous = await client.GetAsync("/api/v1/auth/me");
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("unauthenticated", (await anonymous.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("village_worker", me.GetProperty("role").GetString());
        Assert.Equal(Villages.Simazhuang, me.GetProperty("division").GetInt64());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task OnlyAdmins_OpenAccountsAndSeeFullIdentityNumbers(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        using var worker = await app.ClientAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        var id = People.NewId();
        var created = await (await admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = id, name = "张三", phone = "13812345678", division = People.Code(Villages.Simazhuang) }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var residentId = created.GetProperty("id").GetInt64();

        var workerReveal = await worker.GetAsync($"/api/v1/residents/{residentId}/identity");
        var workerOpen = await worker.PostAsJsonAsync("/api/v1/accounts", new { username = "sampler9", displayName = "x", role = "sampler", division = Villages.Simazhuang });
        var adminReveal = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/residents/{residentId}/identity");

        Assert.Equal(HttpStatusCode.Forbidden, workerReveal.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, workerOpen.StatusCode);
        Assert.Equal(id, adminReveal.GetProperty("idNumber").GetString());
        Assert.Equal("13812345678", adminReveal.GetProperty("phone").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task DisablingOrResettingAnAccount_EndsItsSessions(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        using var sampler = await app.ClientAsync("sampler", Roles.Sampler, Villages.Simazhuang);
        using var courier = await app.ClientAsync("courier", Roles.Courier, People.Qingxian);
        var accounts = await admin.GetFromJsonAsync<JsonElement>("/api/v1/accounts");
        long IdOf(string name) => accounts.EnumerateArray().Single(a => a.GetProperty("username").GetString() == name).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await sampler.GetAsync("/api/v1/auth/me")).StatusCode);

        await admin.PostAsync($"/api/v1/accounts/{IdOf("sampler")}/disable", null);
        await admin.PostAsync($"/api/v1/accounts/{IdOf("courier")}/reset-password", null);

        var disabled = await sampler.GetAsync("/api/v1/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, disabled.StatusCode);
        Assert.Equal("session_ended", (await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await courier.GetAsync("/api/v1/auth/me")).StatusCode);
        using var loginClient = app.Anonymous();
        var login = await loginClient.PostAsJsonAsync("/api/v1/auth/token", new { username = "sampler", password = TestApp.Password });
        Assert.Equal("account_disabled", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        using var guessClient = app.Anonymous();
        var guess = await guessClient.PostAsJsonAsync("/api/v1/auth/token", new { username = "sampler", password = "wrong-password" });
        Assert.Equal("bad_credentials", (await guess.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
