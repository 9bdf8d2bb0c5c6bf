using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Counters;
using Fangyi.Features.Dashboard;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Fangyi.Tests.Dashboard;

/// <summary>The pace of the pushes: at once after a quiet second, at most once a second under a stream.</summary>
public class DashboardPushTests
{
    [Fact]
    public async Task Pushes_AtOnceAfterAQuietSecond_AtMostOnceASecond_AndAnEmptyWakeHoldsNothingBack()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang);
        var arrivals = new List<(long At, double People)>();
        var clock = Stopwatch.StartNew();
        await using var screen = await DashboardAccessTests.ScreenAsync(app, world.Admin, connection => connection.On<JsonElement>("delta", delta =>
        {
            var county = delta.GetProperty("nodes").EnumerateArray().FirstOrDefault(n => n.GetProperty("code").GetInt64() == People.Qingxian);
            if (county.ValueKind == JsonValueKind.Object && county.GetProperty("numbers").TryGetProperty(DashboardMetrics.People, out var sampled))
            {
                lock (arrivals)
                {
                    arrivals.Add((clock.ElapsedMilliseconds, sampled.GetDouble()));
                }
            }
        }));
        await screen.InvokeAsync<JsonElement>("Watch", world.RoundId, People.Qingxian);
        Assert.Equal(201, (await world.OpenBoxAsync(world.Boxes[0])).Status);
        Assert.Equal(201, (await world.OpenTubeAsync(world.Boxes[0], world.Tubes[0], 5)).Status);
        await Task.Delay(2_200);

        // A wake that finds nothing for any screen (here: an empty update) is not a push and starts no spacing.
        app.App.Services.GetRequiredService<Counters>().Update(_ => { });
        await Task.Delay(100);
        Assert.Equal(201, (await world.AddAsync(world.Tubes[0], people[0])).Status);
        var first = clock.ElapsedMilliseconds;
        // Two more right behind it: they wait for the next push, a second after the first.
        Assert.Equal(201, (await world.AddAsync(world.Tubes[0], people[1])).Status);
        Assert.Equal(201, (await world.AddAsync(world.Tubes[0], people[2])).Status);
        var answered = clock.ElapsedMilliseconds;
        var deadline = clock.ElapsedMilliseconds + 5_000;
        while (clock.ElapsedMilliseconds < deadline && !Seen(arrivals, 3))
        {
            await Task.Delay(20);
        }
        (long At, double People)[] got;
        lock (arrivals)
        {
            got = arrivals.ToArray();
        }
        Assert.True(Seen(arrivals, 3), $"pushes seen: {string.Join(", ", got.Select(a => a.People))}");
        var firstPush = got[0];
        Assert.True(firstPush.At - first < 600, $"the first scan after a quiet spell reached the screen {firstPush.At - first} ms after its answer");
        var last = got[^1];
        Assert.Equal(3, last.People);
        // Pushes are at least a second apart (less a fifth for the timer's and the long-polling transport's jitter).
        for (var i = 1; i < got.Length; i++)
        {
            Assert.True(got[i].At - got[i - 1].At >= 800, $"pushes {got[i].At - got[i - 1].At} ms apart");
        }
        Assert.True(last.At - answered < 1_500, $"the stream's last scan reached the screen {last.At - answered} ms after its answer (pushes at {string.Join(", ", got.Select(a => $"{a.At - first} ms: {a.People}"))})");
    }

    private static bool Seen(List<(long At, double People)> arrivals, double people)
    {
        lock (arrivals)
        {
            return arrivals.Any(a => a.People == people);
        }
    }
}
