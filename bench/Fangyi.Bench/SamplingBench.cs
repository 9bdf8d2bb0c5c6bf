using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Features.Accounts;
using Fangyi.Features.Demo;
using Fangyi.Features.Divisions;
using Fangyi.Features.Sampling;
using Fangyi.Host;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Fangyi.Bench;

/// <summary>
/// Sample registrations as the sampling teams make them: many phones, each opening a box, opening 10:1 tubes,
/// posting one person at a time to POST /api/v1/scans and sealing, through the real host on a loopback port.
/// Beside it, the same sample rows bulk-copied into the same store: the design asks for at least a third of that.
/// </summary>
public static class SamplingBench
{
    private const int TubesPerBox = 20;
    private const int PerTube = 10;

    public static async Task RunAsync(BenchStore store, BenchArgs args, List<ResultRow> rows)
    {
        var people = args.SampleItems;
        var phones = args.Phones;
        await using var app = await FangyiHost.BuildAsync(
            new FangyiOptions { Store = store.Spec, DataDir = store.Folder, Urls = "http://127.0.0.1:0", LoginsPerMinute = 100_000 },
            builder => builder.Logging.ClearProviders(), TextWriter.Null);
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var tree = app.Services.GetRequiredService<DivisionDirectory>().Tree;
        var clock = Stopwatch.StartNew();
        await DemoCity.SeedAsync(app.Services.GetRequiredService<Core.Store.Store>(), tree, app.Services.GetRequiredService<KeyRing>(),
            app.Services.GetRequiredService<AccountService>(), people, TextWriter.Null);
        var numbers = DemoCity.Population(tree, people).Select(p => p.IdNumber!).ToArray();
        Console.WriteLine($"    seeded {people:N0} residents in {clock.Elapsed.TotalSeconds:F1} s (not timed)");

        using var admin = await ClientAsync(url, "admin", phones);
        var round = await CreatedAsync(admin, "/api/v1/sampling/rounds", new { name = "压测轮次", division = DemoCity.Cangzhou, startsAt = DateTimeOffset.UtcNow.AddHours(-1), endsAt = DateTimeOffset.UtcNow.AddDays(1) });
        var site = await CreatedAsync(admin, "/api/v1/sampling/sites", new { name = "压测采样点", division = DemoCity.Simazhuang });
        var tubeCount = people / PerTube + phones + 1;
        var tubes = Codes(CodeType.Tube, await CreatedAsync(admin, "/api/v1/sampling/codes", new { type = "tube", count = tubeCount }));
        var boxes = Codes(CodeType.Box, await CreatedAsync(admin, "/api/v1/sampling/codes", new { type = "box", count = tubeCount / TubesPerBox + phones + 1 }));
        using var sampler = await ClientAsync(url, "sampler", phones);

        // Each phone takes the next ten people, opening a box every twenty tubes, until everyone is sampled.
        var latencies = new long[people];
        var nextTube = -1;
        var nextBox = -1;
        var roundId = round.GetProperty("id").GetInt64();
        var siteId = site.GetProperty("id").GetInt64();
        var run = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, phones).Select(phone => Task.Run(async () =>
        {
            string? box = null;
            var tubesInBox = 0;
            int t;
            while ((t = Interlocked.Increment(ref nextTube)) * PerTube < people)
            {
                if (box is null || tubesInBox == TubesPerBox)
                {
                    if (box is not null)
                    {
                        await ScanAsync(sampler, new { clientId = $"sb-{box}", action = "box.seal", box });
                    }
                    box = boxes[Interlocked.Increment(ref nextBox)];
                    await ScanAsync(sampler, new { clientId = $"ob-{box}", action = "box.open", box, roundId, siteId });
                    tubesInBox = 0;
                }
                var tube = tubes[t];
                await ScanAsync(sampler, new { clientId = $"ot-{tube}", action = "tube.open", box, tube, capacity = PerTube });
                tubesInBox++;
                for (var i = t * PerTube; i < Math.Min(people, (t + 1) * PerTube); i++)
                {
                    var start = Stopwatch.GetTimestamp();
                    await ScanAsync(sampler, new { clientId = $"sa-{i}", action = "sample.add", tube, person = numbers[i] });
                    latencies[i] = Stopwatch.GetTimestamp() - start;
                }
                await ScanAsync(sampler, new { clientId = $"st-{tube}", action = "tube.seal", tube });
            }
        }))).ConfigureAwait(false);
        run.Stop();
        var sorted = latencies.Order().ToArray();
        double Ms(double p) => sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
        var perSecond = people / run.Elapsed.TotalSeconds;

        var storeService = app.Services.GetRequiredService<Core.Store.Store>();
        await using (var connection = await storeService.OpenAsync())
        {
            var stored = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM samples WHERE removed = @no", new { no = false });
            if (stored != people)
            {
                throw new InvalidOperationException($"{stored} samples stored for {people} registrations");
            }
        }
        var raw = await RawSampleCopyAsync(storeService, people, roundId);
        rows.Add(new(store.Kind, $"sample registrations, POST /api/v1/scans, {phones} phones, 10:1 tubes",
            $"{perSecond,9:N0}/s  p50 {Ms(0.5):F1} ms  p99 {Ms(0.99):F1} ms  ({people:N0}; {perSecond / raw:P0} of raw)",
            ">= 10,000/s, >= raw/3", perSecond >= 10_000 && perSecond >= raw / 3));
        rows.Add(new(store.Kind, "raw bulk copy of the same sample rows (1 tx)", $"{raw,9:N0}/s", "reference", null));
        await app.StopAsync();
    }

    private static List<string> Codes(CodeType type, JsonElement batch)
    {
        var first = batch.GetProperty("firstSerial").GetInt64();
        return Enumerable.Range(0, batch.GetProperty("count").GetInt32()).Select(i => new SampleCode(type, first + i).ToString()).ToList();
    }

    private static async Task<HttpClient> ClientAsync(string url, string username, int connections)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var login = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password = DemoCity.Password });
        login.EnsureSuccessStatusCode();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
        return client;
    }

    private static async Task<JsonElement> CreatedAsync(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task ScanAsync(HttpClient client, object scan)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/scans", scan);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"scan answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The same number of sample rows, written in one transaction the fastest plain way each store has.</summary>
    private static async Task<double> RawSampleCopyAsync(Core.Store.Store store, int count, long roundId)
    {
        await using var connection = await store.OpenAsync();
        var residents = (await connection.QueryAsync<long>("SELECT id FROM residents ORDER BY id")).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        await using var tx = await connection.BeginTransactionAsync();
        if (connection is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync("COPY samples (tube_code, resident_id, division, round_id, sampled_at, removed, repeat_in_round) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync($"R{i / PerTube:D10}", NpgsqlDbType.Text);
                await copy.WriteAsync(residents[i % residents.Length], NpgsqlDbType.Bigint);
                await copy.WriteAsync(DemoCity.Simazhuang, NpgsqlDbType.Bigint);
                await copy.WriteAsync(roundId + 1, NpgsqlDbType.Bigint);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                await copy.WriteAsync(false, NpgsqlDbType.Boolean);
            }
            await copy.CompleteAsync();
        }
        else
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO samples (tube_code, resident_id, division, round_id, sampled_at, removed, repeat_in_round) VALUES (@tube, @resident, @division, @round, @at, 0, 0)";
            var p = new[] { "@tube", "@resident", "@division", "@round", "@at" }.Select(name =>
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = name;
                insert.Parameters.Add(parameter);
                return parameter;
            }).ToArray();
            insert.Prepare();
            for (var i = 0; i < count; i++)
            {
                p[0].Value = $"R{i / PerTube:D10}";
                p[1].Value = residents[i % residents.Length];
                p[2].Value = DemoCity.Simazhuang;
                p[3].Value = roundId + 1;
                p[4].Value = now;
                await insert.ExecuteNonQueryAsync();
            }
        }
        await tx.CommitAsync();
        return count / clock.Elapsed.TotalSeconds;
    }
}
