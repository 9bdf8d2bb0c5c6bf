using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Security;

/// <summary>
/// The test server has no TCP peers: a test says which address a request comes from with <c>X-Test-Peer</c>, set
/// as the connection's remote address before anything else runs (as the socket would).
/// </summary>
internal sealed class TestPeers : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public static void Add(WebApplicationBuilder builder) => builder.Services.AddSingleton<IStartupFilter>(new TestPeers());

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (IPAddress.TryParse(context.Request.Headers[Header].ToString(), out var peer))
            {
                context.Connection.RemoteIpAddress = peer;
            }
            return nextMiddleware(context);
        });
        next(app);
    };

    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string username, string password, string peer, string? forwardedFor = null, string path = "/api/v1/auth/token")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new { username, password }) };
        request.Headers.Add(Header, peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return await client.SendAsync(request);
    }
}

/// <summary>Finding 8: log-in abuse — no lock-out a stranger can trigger, one answer for unknown and wrong, limits per account and per client.</summary>
public class LoginTests
{
    private const string Owner = "10.1.0.5";
    private const string Stranger = "10.9.0.66";

    /// <summary>Everything an answer says but its trace id, which differs per request by design.</summary>
    private static async Task<(int Status, string Body)> AnswerAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadFromJsonAsync<Dictionary<string, JsonElement>>() ?? [];
        body.Remove("traceId");
        return ((int)response.StatusCode, string.Join("|", body.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) + "|" + response.Headers.RetryAfter);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task UnknownNameAndWrongPassword_GetTheSameAnswers_TryAfterTry(StoreKind kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(kind, configure: b => { TestPeers.Add(b); b.Services.AddSingleton<TimeProvider>(clock); });
        await app.CreateAccountAsync("sampler", Roles.Sampler, Villages.Simazhuang);
        using var client = app.Anonymous();

        var known = new List<(int, string)>();
        var unknown = new List<(int, string)>();
        for (var i = 0; i < 7; i++)
        {
            known.Add(await AnswerAsync(await TestPeers.LoginAsync(client, "sampler", "wrong-password", Stranger)));
            unknown.Add(await AnswerAsync(await TestPeers.LoginAsync(client, "nosuchuser", "wrong-password", Stranger)));
        }

        Assert.Equal(known, unknown);
        Assert.DoesNotContain(known, a => a.Item1 == 423);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AStrangerHammering_DoesNotKeepTheOwnerOut(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind, configure: TestPeers.Add);
        await app.CreateAccountAsync("county", Roles.Admin, People.Qingxian);
        using var client = app.Anonymous();

        for (var i = 0; i < 20; i++)
        {
            await TestPeers.LoginAsync(client, "county", "guess-" + i, Stranger);
        }
        var owner = await TestPeers.LoginAsync(client, "county", TestApp.Password, Owner);

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task RepeatedFailures_FromOneClient_WaitADoublingInterval(StoreKind kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(kind, configure: b => { TestPeers.Add(b); b.Services.AddSingleton<TimeProvider>(clock); });
        await app.CreateAccountAsync("sampler", Roles.Sampler, Villages.Simazhuang);
        using var client = app.Anonymous();
        Task<HttpResponseMessage> Try(string password) => TestPeers.LoginAsync(client, "sampler", password, Owner);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Try("wrong-password")).StatusCode);
        }
        var delayed = await Try(TestApp.Password);
        Assert.Equal(HttpStatusCode.TooManyRequests, delayed.StatusCode);
        Assert.Equal("login_delayed", (await delayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(2), delayed.Headers.RetryAfter?.Delta);

        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Try("wrong-password")).StatusCode);
        var longer = await Try(TestApp.Password);
        Assert.Equal(TimeSpan.FromSeconds(4), longer.Headers.RetryAfter?.Delta);

        clock.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await Try(TestApp.Password)).StatusCode);
        // A success clears the pair's count.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Try("wrong-password")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Try(TestApp.Password)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task GuessingSpreadOverManyClients_IsSlowedPerAccount_ButNotForTheOwnersUsualClient(StoreKind kind)
    {
        // A fake clock, so the per-minute budget cannot roll over in the middle of the test.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 10, TimeSpan.Zero));
        await using var app = await TestApp.StartAsync(kind, configure: b => { TestPeers.Add(b); b.Services.AddSingleton<TimeProvider>(clock); });
        await app.CreateAccountAsync("county", Roles.Admin, People.Qingxian);
        using var client = app.Anonymous();
        // The owner's first sign-in from this client is the one try it takes from the account's shared budget.
        Assert.Equal(HttpStatusCode.OK, (await TestPeers.LoginAsync(client, "county", TestApp.Password, Owner)).StatusCode);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await TestPeers.LoginAsync(client, "county", "guess-" + i, $"10.9.1.{i + 1}")).StatusCode);
        }
        var owner = await TestPeers.LoginAsync(client, "county", TestApp.Password, Owner);
        var other = await TestPeers.LoginAsync(client, "sampler", "whatever1", "10.9.1.99");

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(30 - 1, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
        // Another account's budget is its own.
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ConcurrentFailures_AreAllCounted(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind, configure: TestPeers.Add);
        await app.CreateAccountAsync("sampler", Roles.Sampler, Villages.Simazhuang);
        using var client = app.Anonymous();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => TestPeers.LoginAsync(client, "sampler", "wrong-" + i, $"10.9.2.{i + 1}")));

        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(20, await connection.ExecuteScalarAsync<long>("SELECT failed_logins FROM accounts WHERE username = 'sampler'"));
    }

    [Fact]
    public async Task ForwardedFor_IsBelievedOnlyFromAKnownProxy()
    {
        const string proxy = "10.0.0.1";
        await using var direct = await TestApp.StartAsync(StoreKind.Sqlite, tweak: o => o with { LoginsPerMinute = 3 }, configure: TestPeers.Add);
        await using var behind = await TestApp.StartAsync(StoreKind.Sqlite, tweak: o => o with { LoginsPerMinute = 3, KnownProxies = [proxy] }, configure: TestPeers.Add);

        async Task<List<HttpStatusCode>> FourClientsAsync(TestApp app)
        {
            var client = app.Anonymous();
            var codes = new List<HttpStatusCode>();
            for (var i = 0; i < 4; i++)
            {
                codes.Add((await TestPeers.LoginAsync(client, $"user{i}", "x", proxy, forwardedFor: $"192.0.2.{i + 1}")).StatusCode);
            }
            return codes;
        }

        // Not configured: X-Forwarded-For is a client's claim, ignored; all four come from the proxy's address.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await FourClientsAsync(direct))[3]);
        // From the configured proxy: four clients, each with its own limit...
        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, await FourClientsAsync(behind));
        // ...and one client still limited, whichever proxy address it comes through.
        using var one = behind.Anonymous();
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            codes.Add((await TestPeers.LoginAsync(one, "someone", "x", proxy, forwardedFor: "192.0.2.50")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, codes[3]);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task CookieLogin_OfTheOwner_IsNotHeldUpByAStrangersGuesses(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind, configure: TestPeers.Add);
        await app.CreateAccountAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        using var client = app.Anonymous();
        for (var i = 0; i < 10; i++)
        {
            await TestPeers.LoginAsync(client, "worker", "guess-" + i, Stranger);
        }

        var owner = await TestPeers.LoginAsync(client, "worker", TestApp.Password, Owner, path: "/api/v1/auth/login");

        Assert.Equal(HttpStatusCode.OK, owner.StatusCode);
    }
}
