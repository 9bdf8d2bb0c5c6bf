using Fangyi.Core.Storage;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Features.Accounts;
using Fangyi.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Fangyi.Tests.Support;

/// <summary>
/// A whole Fangyi host over its own new store, built exactly as <c>fangyi serve</c> builds it. In-memory
/// (TestServer) for API tests, or on a real loopback port for browser tests.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    public const string Password = "Test-pass-2026";

    private TestApp(WebApplication app, FangyiOptions options, StoreKind kind, string folder, HostErrors errors)
    {
        App = app;
        Errors = errors;
        Options = options;
        Kind = kind;
        Folder = folder;
    }

    public WebApplication App { get; }
    public FangyiOptions Options { get; }
    public StoreKind Kind { get; }
    public string Folder { get; }

    /// <summary>What the host logged at Error or above (for the message of a test that met a 500).</summary>
    public HostErrors Errors { get; }
    public IServiceProvider Services => App.Services;
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();
    public Store Store => Get<Store>();

    /// <summary>The base address when started on a real port.</summary>
    public string Url => App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <param name="configure">Runs after the host's own registrations, e.g. to add a test ingest handler.</param>
    public static async Task<TestApp> StartAsync(StoreKind kind, bool realPort = false, Func<FangyiOptions, FangyiOptions>? tweak = null, Action<WebApplicationBuilder>? configure = null)
    {
        var folder = TestStore.TempFolder();
        var options = new FangyiOptions
        {
            Store = await TestStore.CreateAsync(kind, folder),
            DataDir = folder,
            Urls = "http://127.0.0.1:0",
            LoginsPerMinute = 1000,
            PublicPerMinute = 1000,
        };
        options = tweak?.Invoke(options) ?? options;
        var errors = new HostErrors();
        var app = await FangyiHost.BuildAsync(options, builder =>
        {
            if (!realPort)
            {
                builder.WebHost.UseTestServer();
            }
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddProvider(errors);
            configure?.Invoke(builder);
        }, TextWriter.Null);
        await app.StartAsync();
        return new TestApp(app, options, kind, folder, errors);
    }

    /// <summary>Stops the host and starts another in process on the same store and data folder, as a restart would.</summary>
    public async Task<WebApplication> RestartAsync()
    {
        await App.StopAsync();
        var again = await FangyiHost.BuildAsync(Options, b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.SetMinimumLevel(LogLevel.Warning);
        }, TextWriter.Null);
        await again.StartAsync();
        return again;
    }

    public HttpClient Anonymous() => App.GetTestServerOrNull() is { } server ? server.CreateClient() : new HttpClient { BaseAddress = new Uri(Url) };

    /// <summary>Opens an account with a known password directly in the store.</summary>
    public async Task CreateAccountAsync(string username, string role, long division, bool mustChange = false) =>
        Assert.True(await Get<AccountService>().CreateAsync([new AccountService.NewAccount(username, username, role, division, Password, mustChange)]));

    /// <summary>A client signed in with a bearer token, as a phone app would be.</summary>
    public async Task<HttpClient> ClientAsync(string username, string role, long division)
    {
        await CreateAccountAsync(username, role, division);
        return await SignInAsync(username, Password);
    }

    public async Task<HttpClient> SignInAsync(string username, string password)
    {
        var client = Anonymous();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// The status of an import the client started (its 202 answer), read once the job has finished: the test waits
    /// on the job itself, not on a clock.
    /// </summary>
    public async Task<JsonElement> FinishedImportAsync(HttpClient client, HttpResponseMessage started)
    {
        var answer = await started.Content.ReadFromJsonAsync<JsonElement>();
        var me = await client.GetFromJsonAsync<JsonElement>("/api/v1/auth/me");
        var account = await Get<AccountService>().FindAsync(me.GetProperty("username").GetString()!);
        var job = Get<Core.Imports.ImportJobs>().Find(answer.GetProperty("jobId").GetString()!, account!.Id);
        await job!.Completion.WaitAsync(TimeSpan.FromMinutes(2));
        return await client.GetFromJsonAsync<JsonElement>(answer.GetProperty("statusUrl").GetString());
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A SQLite file still held by a pooled connection; the temp folder is cleared by the OS.
        }
    }
}

internal static class TestServerExtensions
{
    public static TestServer? GetTestServerOrNull(this WebApplication app) => app.Services.GetRequiredService<IServer>() as TestServer;
}
