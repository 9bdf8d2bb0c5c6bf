using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Features.Accounts;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using Fangyi.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Fangyi.Bench;

/// <summary>
/// Sample registrations as the sampling teams make them: many phones posting one person at a time into 10:1
/// tubes through POST /api/v1/scans on the real host, on a loopback port, with wrk playing the phones. Beside it,
/// the same sample rows bulk-copied into the same store (the design asks for at least a third of that) and the
/// host's trivial endpoint.
/// </summary>
public static class SamplingBench
{
    private static readonly string[] SampleParameters = ["@tube", "@resident", "@division", "@round", "@at"];

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
        await BenchCity.SeedAsync(app.Services, people);
        var numbers = ResidentsDemo.Population(tree, people).Select(p => p.IdNumber!).ToArray();
        Console.WriteLine($"    seeded {people:N0} residents in {clock.Elapsed.TotalSeconds:F1} s (not timed)");

        using var admin = await ClientAsync(url, "admin", phones);
        var round = await CreatedAsync(admin, "/api/v1/sampling/rounds", new { name = "压测轮次", division = DemoDivisions.Cangzhou, startsAt = DateTimeOffset.UtcNow.AddHours(-1), endsAt = DateTimeOffset.UtcNow.AddDays(1) });
        var site = await CreatedAsync(admin, "/api/v1/sampling/sites", new { name = "压测采样点", division = DemoDivisions.Simazhuang });
        var tubeCount = people / PerTube + phones + 1;
        var tubes = Codes(CodeType.Tube, await CreatedAsync(admin, "/api/v1/sampling/codes", new { type = "tube", count = tubeCount }));
        var boxes = Codes(CodeType.Box, await CreatedAsync(admin, "/api/v1/sampling/codes", new { type = "box", count = tubeCount / TubesPerBox + phones + 1 }));
        using var sampler = await ClientAsync(url, "sampler", phones);

        // Not timed: every box and tube is opened first, the way a site sets out its racks in the morning.
        var roundId = round.GetProperty("id").GetInt64();
        var siteId = site.GetProperty("id").GetInt64();
        var tubesNeeded = (people + PerTube - 1) / PerTube;
        var setup = new List<object>();
        for (var t = 0; t < tubesNeeded; t++)
        {
            var box = boxes[t / TubesPerBox];
            if (t % TubesPerBox == 0)
            {
                setup.Add(new { clientId = $"ob-{box}", action = "box.open", box, roundId, siteId });
            }
            setup.Add(new { clientId = $"ot-{tubes[t]}", action = "tube.open", box, tube = tubes[t], capacity = PerTube });
        }
        foreach (var chunk in setup.Chunk(500))
        {
            var answer = await CreatedAsync(sampler, "/api/v1/scans/batch", chunk);
            if (answer.EnumerateArray().Any(o => !o.GetProperty("accepted").GetBoolean()))
            {
                throw new InvalidOperationException("opening the boxes and tubes was refused: " + answer);
            }
        }

        // Timed: every person registered into their tube, one POST /api/v1/scans each, from many phones at once.
        // Each phone's next scan goes out when its last one is answered; wrk plays the phones.
        var bodies = Enumerable.Range(0, people).Select(i => JsonSerializer.Serialize(new { clientId = $"sa-{i}", action = "sample.add", tube = tubes[i / PerTube], person = numbers[i] })).ToList();
        var token = sampler.DefaultRequestHeaders.Authorization!.Parameter!;
        var trivial = await Wrk.GetAsync(url, "/healthz", phones, TimeSpan.FromSeconds(5));
        var ingest = app.Services.GetRequiredService<Core.Ingest.IngestQueue>();

        // Not timed: the first fifth (at most 20,000) warms the host up, as a server is warm by the time the
        // queues form: for the first seconds of a fresh process the runtime's compiler re-compiles the hot
        // paths (a sixth of the CPU in a profile), which is start-up, not registration.
        var warm = Math.Min(people / 5, 20_000);
        await PostAllAsync(bodies[..warm]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var timed = bodies[warm..];
        var result = await PostAllAsync(timed);

        async Task<Wrk.Result> PostAllAsync(List<string> part)
        {
            var target = ingest.Committed + part.Count;
            var run = await Wrk.PostEachAsync(url, "/api/v1/scans", token, part, phones, args.Deadline, () => ingest.Committed >= target);
            if (ingest.Committed < target)
            {
                throw new InvalidOperationException($"wrk's deadline ({args.Deadline.TotalSeconds:F0} s) passed with {target - ingest.Committed:N0} of {part.Count:N0} registrations not committed; give a longer --deadline");
            }
            if (run.Errors > 0)
            {
                await using var look = await app.Services.GetRequiredService<Store>().OpenAsync();
                foreach (var refused in await look.QueryAsync<string>("SELECT outcome FROM events WHERE accepted = @no LIMIT 3", new { no = false }))
                {
                    Console.WriteLine("    refused: " + refused);
                }
                throw new InvalidOperationException($"{run.Errors} registrations were refused or failed:\n{run.Output}");
            }
            return run;
        }
        var perSecond = timed.Count / result.Seconds;

        var storeService = app.Services.GetRequiredService<Store>();
        await using (var connection = await storeService.OpenAsync())
        {
            var stored = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM samples WHERE removed = @no", new { no = false });
            if (stored != people)
            {
                throw new InvalidOperationException($"{stored} samples stored for {people} registrations");
            }
        }
        var raw = await RawSampleCopyAsync(storeService, people, roundId);
        rows.Add(new(store.Kind, $"sample registrations, POST /api/v1/scans, {phones} phones (wrk), 10:1 tubes",
            $"{perSecond,9:N0}/s  p50 {result.P50Ms:F1} ms  p99 {result.P99Ms:F1} ms  ({timed.Count:N0} after {warm:N0} untimed; {perSecond / raw:P0} of raw; host CPU {result.CpuMs * 1000 / timed.Count:F0} µs each)",
            ">= 10,000/s, >= raw/3", perSecond >= 10_000 && perSecond >= raw / 3));
        rows.Add(new(store.Kind, "raw bulk copy of the same sample rows (1 tx)", $"{raw,9:N0}/s", "reference", null));
        rows.Add(new(store.Kind, $"GET /healthz on the same host, {phones} connections (wrk)", $"{trivial.PerSecond,9:N0}/s  p50 {trivial.P50Ms:F1} ms  p99 {trivial.P99Ms:F1} ms", "reference", null));
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
        var login = await client.PostAsJsonAsync("/api/v1/auth/token", new { username, password = AccountsDemo.Password });
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

    /// <summary>The same number of sample rows, written in one transaction the fastest plain way each store has.</summary>
    private static async Task<double> RawSampleCopyAsync(Store store, int count, long roundId)
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
                await copy.WriteAsync(DemoDivisions.Simazhuang, NpgsqlDbType.Bigint);
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
            var p = SampleParameters.Select(name =>
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = name;
                insert.Parameters.Add(parameter);
                return parameter;
            }).ToArray();
            await insert.PrepareAsync();
            for (var i = 0; i < count; i++)
            {
                p[0].Value = $"R{i / PerTube:D10}";
                p[1].Value = residents[i % residents.Length];
                p[2].Value = DemoDivisions.Simazhuang;
                p[3].Value = roundId + 1;
                p[4].Value = now;
                await insert.ExecuteNonQueryAsync();
            }
        }
        await tx.CommitAsync();
        return count / clock.Elapsed.TotalSeconds;
    }
}
