using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Security;

/// <summary>Finding 9: cookie writes from another site are refused; every answer carries the browser headers.</summary>
public class BrowserDefenceTests
{
    private static HttpRequestMessage CreateAccount(string username, string? origin, string? fetchSite = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/accounts")
        {
            Content = JsonContent.Create(new { username, displayName = username, role = "sampler", division = Villages.Simazhuang }),
        };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }
        return request;
    }

    private static async Task<string?> CodeAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task CookieWrites_FromAnotherSite_AreRefused_FromThisSiteAccepted(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        await app.CreateAccountAsync("county", Roles.Admin, People.Qingxian);
        using var browser = await SessionTests.CookieClientAsync(app, "county");
        browser.DefaultRequestHeaders.Remove("Origin");

        using var evilRequest = CreateAccount("evil1", "http://evil.example");
        var evil = await browser.SendAsync(evilRequest);
        using var noOriginRequest = CreateAccount("evil2", null);
        var noOrigin = await browser.SendAsync(noOriginRequest);
        using var crossSiteRequest = CreateAccount("evil3", null, fetchSite: "cross-site");
        var crossSite = await browser.SendAsync(crossSiteRequest);
        using var evilReferer = CreateAccount("evil4", null);
        evilReferer.Headers.Referrer = new Uri("http://evil.example/page");
        var referer = await browser.SendAsync(evilReferer);
        // The imports skip antiforgery; the same-origin check covers them.
        using var formPart = new ByteArrayContent("身份证号,姓名\n"u8.ToArray());
        using var form = new MultipartFormDataContent { { formPart, "file", "r.csv" } };
        using var import = new HttpRequestMessage(HttpMethod.Post, "/api/v1/residents/import") { Content = form };
        import.Headers.Add("Origin", "http://evil.example");
        var evilImport = await browser.SendAsync(import);

        foreach (var refused in new[] { evil, noOrigin, crossSite, referer, evilImport })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("cross_site_request", await CodeAsync(refused));
        }
        var accounts = await browser.GetFromJsonAsync<JsonElement>("/api/v1/accounts");
        Assert.DoesNotContain(accounts.EnumerateArray(), a => a.GetProperty("username").GetString()!.StartsWith("evil", StringComparison.Ordinal));

        using var good1 = CreateAccount("good1", SessionTests.SameOrigin);
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(good1)).StatusCode);
        using var good2 = CreateAccount("good2", "null", fetchSite: "same-origin");
        Assert.Equal(HttpStatusCode.Created, (await browser.SendAsync(good2)).StatusCode);
        // A bearer token is not sent by a browser on its own: another Origin on a bearer call is no forgery.
        using var phone = await app.SignInAsync("county", TestApp.Password);
        using var good3 = CreateAccount("good3", "http://evil.example");
        Assert.Equal(HttpStatusCode.Created, (await phone.SendAsync(good3)).StatusCode);
    }

    [Fact]
    public async Task EveryAnswer_CarriesTheBrowserHeaders_AndPersonalAnswersAreNotStored()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        using var anonymous = app.Anonymous();

        var page = await anonymous.GetAsync("/login");
        var api = await admin.GetAsync("/api/v1/accounts");
        var refused = await anonymous.GetAsync("/api/v1/accounts");
        var asset = await anonymous.GetAsync("/css/console.css");

        foreach (var answer in new[] { page, api, refused, asset })
        {
            var csp = string.Join(";", answer.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", Assert.Single(answer.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(answer.Headers.GetValues("Referrer-Policy")));
            Assert.False(answer.Headers.Contains("Strict-Transport-Security"));
        }
        Assert.True(page.Headers.CacheControl?.NoStore);
        Assert.True(api.Headers.CacheControl?.NoStore);
        Assert.True(refused.Headers.CacheControl?.NoStore);
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.NotEqual(true, asset.Headers.CacheControl?.NoStore);
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { username = "county", password = TestApp.Password });
        Assert.DoesNotContain("secure", string.Join(";", login.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OverTls_AtTheHostOrAtAProxy_HstsIsSentAndCookiesAreSecure()
    {
        await using var atProxy = await TestApp.StartAsync(StoreKind.Sqlite, tweak: o => o with { TlsAtProxy = true });
        await using var forwarded = await TestApp.StartAsync(StoreKind.Sqlite, tweak: o => o with { KnownProxies = ["10.0.0.1"] }, configure: TestPeers.Add);
        await atProxy.CreateAccountAsync("county", Roles.Admin, People.Qingxian);
        await forwarded.CreateAccountAsync("county", Roles.Admin, People.Qingxian);

        using var firstClient = atProxy.Anonymous();
        var first = await firstClient.PostAsJsonAsync("/api/v1/auth/login", new { username = "county", password = TestApp.Password });
        using var viaProxy = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login") { Content = JsonContent.Create(new { username = "county", password = TestApp.Password }) };
        viaProxy.Headers.Add(TestPeers.Header, "10.0.0.1");
        viaProxy.Headers.Add("X-Forwarded-For", "192.0.2.7");
        viaProxy.Headers.Add("X-Forwarded-Proto", "https");
        using var secondClient = forwarded.Anonymous();
        var second = await secondClient.SendAsync(viaProxy);
        // The same headers from an address that is not the proxy prove nothing.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/login");
        spoofed.Headers.Add(TestPeers.Header, "10.0.0.99");
        spoofed.Headers.Add("X-Forwarded-Proto", "https");
        using var plainClient = forwarded.Anonymous();
        var plain = await plainClient.SendAsync(spoofed);

        foreach (var answer in new[] { first, second })
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.StartsWith("max-age=", Assert.Single(answer.Headers.GetValues("Strict-Transport-Security")), StringComparison.Ordinal);
            Assert.Contains("secure", answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("fangyi=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
        }
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }
}
