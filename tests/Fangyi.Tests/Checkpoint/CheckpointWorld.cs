using Fangyi.Core.Jurisdiction;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Status;
using Fangyi.Features.Checkpoint;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Checkpoint;

/// <summary>
/// A host on a clock the test moves, a city admin, places of four categories in 青县 with a device each, and the
/// sampling world (round, site, sampler, courier, lab) to give people real samples and results.
/// </summary>
public sealed class CheckpointWorld : IAsyncDisposable
{
    private int _tube;
    private int _box;

    private CheckpointWorld(TestApp app, FakeTimeProvider clock, HttpClient city, SamplingWorld sampling)
    {
        App = app;
        Clock = clock;
        City = city;
        Sampling = sampling;
    }

    public TestApp App { get; }
    public FakeTimeProvider Clock { get; }

    /// <summary>An admin of the whole city (沧州市).</summary>
    public HttpClient City { get; }

    public SamplingWorld Sampling { get; }

    /// <summary>Place id and device (id, secret) by category: mall 72 h, hospital 24 h, transport 48 h, event 48 h with two doses.</summary>
    public Dictionary<string, (long Place, string Device, string Secret)> Places { get; } = [];

    public static async Task<CheckpointWorld> CreateAsync(StoreKind kind, Func<Host.FangyiOptions, Host.FangyiOptions>? tweak = null, bool realPort = false)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Tests play one kiosk far faster than a door: the per-device limit is off unless a test turns it on.
        var app = await TestApp.StartAsync(kind, realPort, tweak: o => tweak?.Invoke(o with { DeviceChecksPerMinute = 0 }) ?? o with { DeviceChecksPerMinute = 0 }, configure: builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            // The checkpoint's chores (rules file, last-seen times, purge) and the status index's catch-up with the
            // store run when a test calls them, never beside it.
            builder.Services.AddSingleton(sp =>
            {
                var host = sp.GetRequiredService<Host.FangyiOptions>();
                return new CheckpointOptions { DataDir = host.DataDir, RetentionDays = host.CheckRetentionDays, DeviceChecksPerMinute = host.DeviceChecksPerMinute, DeviceCheckBurst = host.DeviceCheckBurst, ChoresInBackground = false };
            });
            builder.Services.AddSingleton(new StatusOptions { CatchUpInBackground = false });
        });
        var city = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
        var sampling = await SamplingWorld.CreateAsync(app);
        var world = new CheckpointWorld(app, clock, city, sampling);
        foreach (var (category, name) in new[] { ("mall", "青县华联商厦"), ("hospital", "青县人民医院"), ("transport", "青县汽车站"), ("event", "青县体育馆") })
        {
            var place = await Ok(await city.PostAsJsonAsync("/api/v1/checkpoint/places", new { name, category, division = People.Qingzhou }));
            var devices = await Ok(await city.PostAsJsonAsync("/api/v1/checkpoint/devices", new { placeId = place.GetProperty("id").GetInt64(), count = 1 }));
            var device = devices.GetProperty("registered")[0];
            world.Places[category] = (place.GetProperty("id").GetInt64(), device.GetProperty("deviceId").GetString()!, device.GetProperty("secret").GetString()!);
        }
        return world;
    }

    public static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A client signed in now: after the clock moved past a token's 12 hours, the earlier ones are refused.</summary>
    public Task<HttpClient> SignInAsync(string username) => App.SignInAsync(username, TestApp.Password);

    public HttpClient Device(string category) => Device(Places[category].Device, Places[category].Secret);

    public HttpClient Device(string id, string secret)
    {
        var client = App.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Device", $"{id}.{secret}");
        return client;
    }

    public async Task<(int Status, JsonElement Body)> VerifyAsync(string category, string input, string? clientId = null)
    {
        using var device = Device(category);
        return await VerifyWithAsync(device, input, clientId);
    }

    public static async Task<(int Status, JsonElement Body)> VerifyWithAsync(HttpClient device, string input, string? clientId = null)
    {
        var response = await device.PostAsJsonAsync("/api/v1/checkpoint/verify", new { input, clientId });
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>A verdict that must be an answer (200): its body.</summary>
    public async Task<JsonElement> AnswerAsync(string category, string input)
    {
        var (status, body) = await VerifyAsync(category, input);
        Assert.True(status == 200, body.ToString());
        return body;
    }

    /// <summary>New residents of 司马庄村 registered through the API; their ID numbers.</summary>
    public Task<List<string>> ResidentsAsync(int count) => Sampling.ResidentsAsync(Enumerable.Repeat(Villages.Simazhuang, count).ToArray());

    /// <summary>The people sampled now into one tube (single if one person, else 10:1), received and given a result unless null.</summary>
    public async Task<string> SampleAsync(IReadOnlyList<string> people, string? result)
    {
        var capacity = people.Count == 1 ? 1 : 10;
        if (result is null)
        {
            var (box, tube) = (Sampling.Boxes[_box++], Sampling.Tubes[_tube++]);
            Assert.Equal(201, (await Sampling.OpenBoxAsync(box)).Status);
            Assert.Equal(201, (await Sampling.OpenTubeAsync(box, tube, capacity)).Status);
            foreach (var person in people)
            {
                Assert.Equal(201, (await Sampling.AddAsync(tube, person)).Status);
            }
            return tube;
        }
        var (_, received) = await Sampling.ReceivedTubeAsync(people.ToList(), capacity, _box++, _tube++);
        var upload = await Ok(await Sampling.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube = received, result } }));
        Assert.True(upload[0].GetProperty("accepted").GetBoolean(), upload.ToString());
        return received;
    }

    public async Task<JsonElement> ColourAsync(string idNumber, string colour, DateTimeOffset at, string reason = "省平台赋码")
    {
        var response = await City.PostAsJsonAsync("/api/v1/checkpoint/colours", new { idNumber, colour, at = at.ToUnixTimeMilliseconds(), reason });
        return await Ok(response);
    }

    public async Task<long> CountAsync(string sql, object? args = null)
    {
        await using var connection = await App.Store.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>Checks are recorded after the answer (not waited for): waits until the store has <paramref name="count"/>.</summary>
    public async Task WaitForChecksAsync(long count, string where = "1 = 1")
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await CountAsync($"SELECT COUNT(*) FROM checks WHERE {where}") < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} checks recorded");
            await Task.Delay(20);
        }
    }

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
