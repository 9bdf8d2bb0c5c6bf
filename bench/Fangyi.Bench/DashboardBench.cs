using Fangyi.Core.Jurisdiction;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Counters;
using Fangyi.Features.Accounts;
using Fangyi.Features.Dashboard;
using Fangyi.Features.Divisions;
using Fangyi.Features.Sampling;
using Fangyi.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Diagnostics.CodeAnalysis;

using Fangyi.Core.Status;

namespace Fangyi.Bench;

/// <summary>
/// The command dashboard's counters. (1) A board of Cangzhou's 6,300 divisions fed 60 million sample registrations
/// and the custody of their tubes and boxes, in process, through the sampling contributor exactly as the ingest
/// observer feeds it (going through a store would take hours at this size): the cost per event on the writer's
/// loop, then the cost of reading a division's numbers at each level. (2) A real host on a loopback port with 50
/// screens connected over SignalR WebSockets while 10,000 samples a second land: the push loop's time and the
/// process's CPU time per second, beside the same load with no screen.
/// </summary>
[SuppressMessage("Security", "CA5394", Justification = "Seeded Random makes the same synthetic data every run; nothing here is secret.")]
public static class DashboardBench
{
    private const int PerTube = 10;
    private const int TubesPerBox = 20;

    public static async Task RunAsync(BenchArgs args, List<ResultRow> rows)
    {
        Build(args.DashboardSamples, rows);
        await PushAsync(args, rows);
    }

    private static void Build(long samples, List<ResultRow> rows)
    {
        var tree = new DivisionTree(DivisionImport.Shipped());
        var layout = new CounterLayout();
        var contributor = new SamplingCounters(layout);
        layout.Freeze();
        var board = new CounterBoard(tree, layout);
        var villages = tree.Descendants(DemoDivisions.Cangzhou).Where(d => d.Level == DivisionLevel.Village).Select(d => d.Code).ToArray();
        var random = new Random(2022);
        var start = DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeMilliseconds();
        var span = 3 * 86_400_000L;

        GC.Collect();
        var before = GC.GetTotalMemory(true);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long events = 0, sampleEvents = 0;
        var writer = board.Writer;
        var boxTubes = new List<ReceivedTube>(TubesPerBox);
        var resultsOfBox = new List<TubeResulted>(TubesPerBox);
        const long round = 1;
        // Box after box: each at one village's site, its tubes filled mostly with that village's people.
        while (sampleEvents < samples)
        {
            var site = villages[random.Next(villages.Length)];
            var opened = start + random.NextInt64(span);
            lock (board.Gate)
            {
                contributor.Count(new BoxOpened(round, site), writer);
                events++;
                boxTubes.Clear();
                resultsOfBox.Clear();
                for (var t = 0; t < TubesPerBox && sampleEvents < samples; t++)
                {
                    contributor.Count(new TubeOpened(round, site), writer);
                    var people = new PersonResult[PerTube];
                    for (var p = 0; p < PerTube; p++)
                    {
                        var residence = random.Next(10) == 0 ? villages[random.Next(villages.Length)] : site;
                        var sampledAt = opened + (t * PerTube + p) * 8_000;
                        contributor.Count(new PersonSampled(round, site, residence, sampledAt, FirstInRound: random.Next(50) != 0), writer);
                        people[p] = new PersonResult(sampleEvents, residence, sampledAt, SampleResults.Negative);
                        sampleEvents++;
                    }
                    var sealedAt = opened + (t + 1) * PerTube * 8_000;
                    contributor.Count(new TubeSealed(round, site), writer);
                    boxTubes.Add(new ReceivedTube(TubeStates.Boxed, sealedAt, PerTube));
                    resultsOfBox.Add(new TubeResulted(round, site, random.Next(2_000) == 0 ? SampleResults.Positive : SampleResults.Negative, true,
                        sealedAt + 5 * 3_600_000, sealedAt, sealedAt + 2 * 3_600_000, PerTube,
                        t == 0 ? [new BoxChanged(BoxStates.Received, BoxStates.Testing)] : [], people));
                    events += PerTube + 2;
                }
                contributor.Count(new BoxSealed(round, site, boxTubes.Count), writer);
                contributor.Count(new BoxPickedUp(round, site), writer);
                contributor.Count(new BoxReceived(round, site, opened + 2 * 3_600_000, boxTubes), writer);
                foreach (var result in resultsOfBox)
                {
                    contributor.Count(result, writer);
                }
                events += 3 + resultsOfBox.Count;
            }
        }
        clock.Stop();
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var bytes = GC.GetTotalMemory(true) - before;
        var period = Period.Round(round);
        var sampled = layout.Find(SamplingCounters.People)!.Value;
        var cityTotal = board.Read(period, DemoDivisions.Cangzhou, sampled);
        Console.WriteLine($"    {events:N0} events ({sampleEvents:N0} samples) counted in {clock.Elapsed.TotalSeconds:F1} s; city shows {cityTotal:N0} people; board {bytes / 1e6:F0} MB");
        rows.Add(new(BenchStore.InProcess, $"counters fed {sampleEvents / 1e6:F0} M samples + custody ({events / 1e6:F0} M events), on the writer's loop",
            $"{clock.Elapsed.TotalMilliseconds * 1e6 / events,6:F0} ns/event  ({events / clock.Elapsed.TotalSeconds / 1e6:F1} M events/s, CPU {used.TotalSeconds:F0} s, {bytes / 1e6:F0} MB)",
            "< 10 µs/event (10% of a core at 10,000/s)", clock.Elapsed.TotalMilliseconds * 1e6 / events < 10_000));

        var levels = new (string Name, long[] Codes)[]
        {
            ("city", [DemoDivisions.Cangzhou]),
            ("county", tree.Children(DemoDivisions.Cangzhou).Select(d => d.Code).ToArray()),
            ("village", villages),
        };
        var values = new long[layout.MetricCount];
        foreach (var (name, codes) in levels)
        {
            const int reads = 5_000_000;
            long sink = 0;
            var order = Enumerable.Range(0, 4096).Select(_ => codes[random.Next(codes.Length)]).ToArray();
            var one = Stopwatch.StartNew();
            for (var i = 0; i < reads; i++)
            {
                sink += board.Read(period, order[i & 4095], sampled);
            }
            one.Stop();
            var all = Stopwatch.StartNew();
            for (var i = 0; i < reads / 5; i++)
            {
                board.ReadAll(period, order[i & 4095], values);
                sink += values[sampled.Index];
            }
            all.Stop();
            GC.KeepAlive(sink);
            var nsOne = one.Elapsed.TotalMilliseconds * 1e6 / reads;
            var nsAll = all.Elapsed.TotalMilliseconds * 1e6 / (reads / 5);
            rows.Add(new(BenchStore.InProcess, $"read a {name}'s numbers ({codes.Length:N0} such) after {sampleEvents / 1e6:F0} M samples",
                $"{nsOne,6:F0} ns one metric, {nsAll,5:F0} ns all {layout.MetricCount}", "O(1): same at every level", nsOne < 1_000));
        }
    }

    private static async Task PushAsync(BenchArgs args, List<ResultRow> rows)
    {
        await using var store = await BenchStore.CreateAsync(BenchStore.Sqlite, null, "dashboard");
        await using var app = await FangyiHost.BuildAsync(
            new FangyiOptions { Store = store.Spec, DataDir = store.Folder, Urls = "http://127.0.0.1:0", LoginsPerMinute = 100_000 },
            builder => builder.Logging.ClearProviders(), TextWriter.Null);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var tree = app.Services.GetRequiredService<DivisionDirectory>().Tree;
        await BenchCity.SeedAsync(app.Services, 1_000);
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        var login = await http.PostAsJsonAsync("/api/v1/auth/token", new { username = "admin", password = AccountsDemo.Password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var roundResponse = await http.PostAsJsonAsync("/api/v1/sampling/rounds", new { name = "压测轮次", division = DemoDivisions.Cangzhou, startsAt = DateTimeOffset.UtcNow.AddHours(-1), endsAt = DateTimeOffset.UtcNow.AddDays(1) });
        roundResponse.EnsureSuccessStatusCode();
        var roundId = (await roundResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var counters = app.Services.GetRequiredService<Counters>();
        var push = app.Services.GetRequiredService<DashboardPush>();
        var contributor = app.Services.GetServices<ICounterContributor>().OfType<SamplingCounters>().Single();
        var villages = tree.Descendants(DemoDivisions.Cangzhou).Where(d => d.Level == DivisionLevel.Village).Select(d => d.Code).ToArray();
        var seconds = args.DashboardSeconds;

        var idle = await LoadAsync(counters, contributor, push, villages, roundId, seconds, received: null);

        // The screens: a few on the city, most on counties and townships, as a command centre and its counties would.
        var places = new List<long> { DemoDivisions.Cangzhou };
        places.AddRange(tree.Children(DemoDivisions.Cangzhou).Select(d => d.Code));
        places.AddRange(tree.Children(DemoDivisions.Qingxian).Select(d => d.Code));
        var received = new long[1];
        var screens = new List<HubConnection>();
        for (var i = 0; i < args.Screens; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(new Uri(url), DashboardHub.Path), options => options.Headers["Authorization"] = "Bearer " + token)
                .Build();
            connection.On<JsonElement>(DashboardHub.DeltaMethod, _ => Interlocked.Increment(ref received[0]));
            await connection.StartAsync();
            await connection.InvokeAsync<JsonElement>("Watch", roundId, places[i % places.Count]);
            screens.Add(connection);
        }
        var watched = await LoadAsync(counters, contributor, push, villages, roundId, seconds, received);
        foreach (var screen in screens)
        {
            await screen.DisposeAsync();
        }
        await app.StopAsync();

        rows.Add(new(BenchStore.Sqlite, $"counters under 10,000 samples/s, no screen (host CPU time per second)",
            $"{idle.CpuMsPerSecond,6:F0} ms/s CPU, push loop {idle.PushMsPerSecond:F1} ms/s", "reference", null));
        rows.Add(new(BenchStore.Sqlite, $"same with {args.Screens} screens on SignalR WebSockets ({watched.Pushes} pushes in {watched.Seconds:F1} s)",
            $"{watched.CpuMsPerSecond,6:F0} ms/s CPU (+{watched.CpuMsPerSecond - idle.CpuMsPerSecond:F0}), push loop {watched.PushMsPerSecond:F1} ms/s, {watched.Messages / watched.Seconds / args.Screens:F1} msg/s per screen",
            "push loop < 100 ms/s, <= 1 push/s", watched.PushMsPerSecond < 100 && watched.Pushes <= Math.Ceiling(watched.Seconds)));
    }

    private sealed record Load(double CpuMsPerSecond, double PushMsPerSecond, long Pushes, long Messages, double Seconds);

    /// <summary>10,000 samples a second (in ticks of 10 ms) into the host's counters for a while, timing the process and the push loop.</summary>
    private static async Task<Load> LoadAsync(Counters counters, SamplingCounters contributor, DashboardPush push, long[] villages, long roundId, int seconds, long[]? received)
    {
        var random = new Random(7);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var busy = push.Busy;
        var pushes = push.Pushes;
        var messages = received is null ? 0 : Interlocked.Read(ref received[0]);
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        long sent = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await timer.WaitForNextTickAsync();
            var due = (long)(clock.Elapsed.TotalSeconds * 10_000);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            counters.Update(w =>
            {
                for (; sent < due; sent++)
                {
                    var village = villages[random.Next(villages.Length)];
                    contributor.Count(new PersonSampled(roundId, village, village, now, FirstInRound: true), w);
                }
            });
        }
        await Task.Delay(1_200);
        var elapsed = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return new Load((process.TotalProcessorTime - cpu).TotalMilliseconds / elapsed, (push.Busy - busy).TotalMilliseconds / elapsed,
            push.Pushes - pushes, received is null ? 0 : Interlocked.Read(ref received[0]) - messages, elapsed);
    }
}
