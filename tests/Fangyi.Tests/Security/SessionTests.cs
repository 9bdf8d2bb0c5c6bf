using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Tests.Dashboard;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Security;

/// <summary>Finding 7: sessions end on the server — sign-out, disable and enable, password reset, refresh tokens, live screens.</summary>
public class SessionTests
{
    public const string SameOrigin = "http://localhost";

    /// <summary>A browser's session: the cookie from a log-in, sent by hand, with this site's Origin on writes.</summary>
    internal static async Task<HttpClient> CookieClientAsync(TestApp app, string username, string password = TestApp.Password)
    {
        var client = app.Anonymous();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username, password });
        login.EnsureSuccessStatusCode();
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fangyi=", StringComparison.Ordinal)).Split(';')[0];
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        client.DefaultRequestHeaders.Add("Origin", SameOrigin);
        return client;
    }

    private static async Task<JsonElement> TokensAsync(TestApp app, string username)
    {
        using var responseClient = app.Anonymous();
        var response = await responseClient.PostAsJsonAsync("/api/v1/auth/token", new { username, password = TestApp.Password });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static HttpClient Bearer(TestApp app, string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<long> IdOfAsync(HttpClient admin, string username) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/v1/accounts")).EnumerateArray()
            .Single(a => a.GetProperty("username").GetString() == username).GetProperty("id").GetInt64();

    private static async Task AssertEndedAsync(HttpClient client)
    {
        var me = await client.GetAsync("/api/v1/auth/me");
        Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        Assert.Equal("session_ended", (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task SignOut_EndsACopiedCookieAndTheBearerToken(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        await app.CreateAccountAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        using var browser = await CookieClientAsync(app, "worker");
        using var copy = app.Anonymous();
        copy.DefaultRequestHeaders.Add("Cookie", browser.DefaultRequestHeaders.GetValues("Cookie"));
        using var phone = Bearer(app, (await TokensAsync(app, "worker")).GetProperty("accessToken").GetString()!);
        using var otherPhone = Bearer(app, (await TokensAsync(app, "worker")).GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/v1/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/v1/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await phone.PostAsync("/api/v1/auth/logout", null)).StatusCode);

        await AssertEndedAsync(copy);
        await AssertEndedAsync(phone);
        // Each sign-out ends its own session only.
        Assert.Equal(HttpStatusCode.OK, (await otherPhone.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task DisableThenEnable_DoesNotReviveOldCookiesOrTokens(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        await app.CreateAccountAsync("sampler", Roles.Sampler, Villages.Simazhuang);
        using var browser = await CookieClientAsync(app, "sampler");
        using var phone = Bearer(app, (await TokensAsync(app, "sampler")).GetProperty("accessToken").GetString()!);
        var id = await IdOfAsync(admin, "sampler");

        await admin.PostAsync($"/api/v1/accounts/{id}/disable", null);
        await admin.PostAsync($"/api/v1/accounts/{id}/enable", null);

        await AssertEndedAsync(browser);
        await AssertEndedAsync(phone);
        // A fresh log-in works again.
        using var sampler = await app.SignInAsync("sampler", TestApp.Password);
        Assert.Equal(HttpStatusCode.OK, (await sampler.GetAsync("/api/v1/auth/me")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task PasswordReset_EndsCookieAndBearerSessions(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        await app.CreateAccountAsync("courier", Roles.Courier, People.Qingxian);
        using var browser = await CookieClientAsync(app, "courier");
        using var phone = Bearer(app, (await TokensAsync(app, "courier")).GetProperty("accessToken").GetString()!);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/v1/accounts/{await IdOfAsync(admin, "courier")}/reset-password", null)).StatusCode);

        await AssertEndedAsync(browser);
        await AssertEndedAsync(phone);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task RefreshToken_GivesANewPairOnce_AndNothingAfterSignOut(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        await app.CreateAccountAsync("sampler", Roles.Sampler, Villages.Simazhuang);
        var first = await TokensAsync(app, "sampler");
        using var anonymous = app.Anonymous();

        var refreshed = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = first.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var second = await refreshed.Content.ReadFromJsonAsync<JsonElement>();
        using var phone = Bearer(app, second.GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/v1/auth/me")).StatusCode);
        // Rotated: the old pair is over.
        using var firstPhone = Bearer(app, first.GetProperty("accessToken").GetString()!);
        await AssertEndedAsync(firstPhone);

        // Signed out, the current refresh token gets nothing either.
        Assert.Equal(HttpStatusCode.NoContent, (await phone.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        var afterSignOut = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = second.GetProperty("refreshToken").GetString() });
        Assert.Equal(HttpStatusCode.Unauthorized, afterSignOut.StatusCode);
        Assert.Equal("refresh_refused", (await afterSignOut.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var garbage = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "not-a-token" });
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ARefreshTokenUsedTwice_EndsTheSession(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        await app.CreateAccountAsync("sampler", Roles.Sampler, Villages.Simazhuang);
        var first = await TokensAsync(app, "sampler");
        var refresh = first.GetProperty("refreshToken").GetString();
        using var anonymous = app.Anonymous();
        var second = await (await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = refresh })).Content.ReadFromJsonAsync<JsonElement>();

        // A copy of the first refresh token, used after the phone already used it: someone else holds it.
        var replay = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = refresh });

        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        using var secondPhone = Bearer(app, second.GetProperty("accessToken").GetString()!);
        await AssertEndedAsync(secondPhone);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task OpenScreens_OfASignedOutSession_AreClosed(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var commander = await app.ClientAsync("commander", Roles.Commander, People.Qingxian);
        await using var screen = await DashboardAccessTests.ScreenAsync(app, commander);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        screen.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        Assert.Equal(HttpStatusCode.NoContent, (await commander.PostAsync("/api/v1/auth/logout", null)).StatusCode);

        // A generous bound only so that a broken build fails instead of hanging; the close is immediate.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Disconnected, screen.State);
    }
}
