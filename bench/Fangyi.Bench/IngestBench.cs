using Fangyi.Core.Storage;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Identity;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Accounts;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;
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
/// The group-committed write path: the queue driven in-process with a real write (resident.upsert) and with an
/// event-only kind (the queue's own ceiling), a raw bulk copy of the same event rows for scale, and
/// PUT /api/v1/residents through the real Kestrel host.
/// </summary>
public static class IngestBench
{
    /// <summary>A kind that accepts every item and writes nothing but its event row, as a sample scan's would be.</summary>
    private static readonly string[] EventParameters = ["c", "k", "d", "dev", "t", "p", "o"];

    private sealed class EventOnlyHandler : IIngestHandler
    {
        public const string KindName = "bench.event";
        private static readonly object Answer = new { ok = true };

        public IReadOnlyCollection<string> Kinds { get; } = [KindName];

        public Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
        {
            foreach (var item in items)
            {
                item.Accept(Answer, 201);
            }
            return Task.CompletedTask;
        }
    }

    /// <summary>About the size of a sample registration: tube, person, team, site.</summary>
    private sealed record SampleScan(string Tube, string Person, long Team, long Site);

    private const int Warmup = 5_000;
    private const int HttpWarmup = 2_000;
    private const string Target = ">= 10,000/s";

    public static async Task RunAsync(BenchStore store, BenchArgs args, List<ResultRow> rows)
    {
        var options = new FangyiOptions { Store = store.Spec, DataDir = store.Folder, Urls = "http://127.0.0.1:0", LoginsPerMinute = 10_000 };
        await using var app = await FangyiHost.BuildAsync(options, builder =>
        {
            builder.Services.AddSingleton<IIngestHandler>(new EventOnlyHandler());
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
        }, TextWriter.Null);
        await app.StartAsync();
        var queue = app.Services.GetRequiredService<IngestQueue>();
        var tree = app.Services.GetRequiredService<DivisionDirectory>().Tree;
        var keys = app.Services.GetRequiredService<KeyRing>();

        // Residents for every phase, distinct ID numbers throughout; validated and protected before any clock runs.
        var inProcess = args.Runs("ingest") ? Warmup + args.IngestItems : 0;
        var overHttp = args.Runs("http") ? HttpWarmup + args.HttpItems : 0;
        var people = ResidentsDemo.Population(tree, inProcess + overHttp, seed: 7).ToList();
        var today = DateOnly.FromDateTime(DateTime.Now);
        var prepared = new PreparedResident[inProcess];
        Parallel.For(0, inProcess, i => prepared[i] = ResidentRules.Prepare(people[i], tree, keys, Scope.Everything, today).Resident
            ?? throw new InvalidOperationException("a generated resident did not validate"));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        if (args.Runs("ingest"))
        {
            IngestItem Resident(int i) => new($"r-{i}", ResidentUpsertHandler.KindName, prepared[i].Division, null, null, now, prepared[i]);
            IngestItem Scan(int i) => new($"e-{i}", EventOnlyHandler.KindName, DemoDivisions.Simazhuang, null, "device-1", now,
                new SampleScan($"T{i:D10}", $"p{i:D9}", 42, 7));
            async Task Submit(IngestItem item)
            {
                var outcome = await queue.SubmitAsync(item);
                if (!outcome.Accepted)
                {
                    throw new InvalidOperationException($"{item.Kind} {item.ClientId} refused: {outcome.Body}");
                }
            }

            await Load.RunAsync(Warmup, args.Producers, args.Deadline, i => Submit(Resident(i)));
            await Load.RunAsync(Warmup, args.Producers, args.Deadline, i => Submit(Scan(args.IngestItems + i)));
            Settle();
            var upserts = await Load.RunAsync(args.IngestItems, args.Producers, args.Deadline, i => Submit(Resident(Warmup + i)));
            rows.Add(new(store.Kind, $"ingest resident.upsert, in-process, {args.Producers} producers", upserts.Figure, Target, upserts.PerSecond >= 10_000));
            Settle();
            var events = await Load.RunAsync(args.IngestItems, args.Producers, args.Deadline, i => Submit(Scan(i)));
            Settle();
            var raw = await RawEventCopyAsync(store, args.IngestItems, now);
            rows.Add(new(store.Kind, $"ingest event-only kind, in-process, {args.Producers} producers", events.Figure, $"{Target}, >= raw/3",
                events.PerSecond >= 10_000 && events.PerSecond >= raw / 3));
            rows.Add(new(store.Kind, "raw bulk copy of the same event rows (1 tx)", $"{raw,9:N0}/s", "reference", null));
        }

        if (args.Runs("http"))
        {
            Settle();
            var http = await HttpAsync(app, people.Skip(inProcess).ToList(), args);
            rows.Add(new(store.Kind, $"ingest PUT /api/v1/residents over HTTP, {args.HttpConnections} conns", http.Figure, Target, http.PerSecond >= 10_000));
        }
        await app.StopAsync();
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Thread.Sleep(200);
        Console.WriteLine($"    load average {Machine.LoadAverage()}");
    }

    private static async Task<LoadResult> HttpAsync(WebApplication app, List<ResidentInput> people, BenchArgs args)
    {
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        const string password = "Bench-pass-2026";
        await app.Services.GetRequiredService<AccountService>().CreateAsync([new AccountService.NewAccount("bench-admin", "bench", Roles.Admin, DemoDivisions.Cangzhou, password, false)]);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = args.HttpConnections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = new Uri(url),
            Timeout = TimeSpan.FromSeconds(60),
        };
        var login = await client.PostAsJsonAsync("/api/v1/auth/token", new { username = "bench-admin", password });
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var bodies = people.Select((p, i) => JsonSerializer.SerializeToUtf8Bytes(new
        {
            clientId = $"h-{i}", idNumber = p.IdNumber, name = p.Name, phone = p.Phone, division = p.Division, registered = p.Registered, tags = p.Tags,
        }, json)).ToArray();
        var mediaType = new MediaTypeHeaderValue("application/json");
        async Task Put(int i)
        {
            using var content = new ByteArrayContent(bodies[i]);
            content.Headers.ContentType = mediaType;
            using var response = await client.PutAsync(new Uri("/api/v1/residents", UriKind.Relative), content);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"PUT answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
        await Load.RunAsync(Math.Min(HttpWarmup, bodies.Length), args.HttpConnections, args.Deadline, Put);
        Settle();
        return await Load.RunAsync(bodies.Length - HttpWarmup, args.HttpConnections, args.Deadline, i => Put(HttpWarmup + i));
    }

    /// <summary>
    /// The yardstick of the design's "a third of a raw bulk copy": the same event rows written in one transaction
    /// the fastest plain way each store has (binary COPY; one prepared insert), without the queue.
    /// </summary>
    private static async Task<double> RawEventCopyAsync(BenchStore store, int count, long now)
    {
        var payloads = Enumerable.Range(0, count).Select(i => JsonSerializer.Serialize(new SampleScan($"T{i:D10}", $"p{i:D9}", 42, 7), IngestQueue.Json)).ToArray();
        const string outcome = """{"s":201,"b":{"ok":true}}""";
        await using var s = Store.FromSpec(store.Spec);
        await using var connection = await s.OpenAsync();
        var clock = Stopwatch.StartNew();
        await using var tx = await connection.BeginTransactionAsync();
        if (connection is NpgsqlConnection pg)
        {
            await using var copy = await pg.BeginBinaryImportAsync(
                "COPY events (client_id, kind, accepted, division, account_id, device_id, at, recorded_at, payload, outcome) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < count; i++)
            {
                await copy.StartRowAsync();
                await copy.WriteAsync($"raw-{i}", NpgsqlDbType.Text);
                await copy.WriteAsync(EventOnlyHandler.KindName, NpgsqlDbType.Text);
                await copy.WriteAsync(true, NpgsqlDbType.Boolean);
                await copy.WriteAsync(DemoDivisions.Simazhuang, NpgsqlDbType.Bigint);
                await copy.WriteNullAsync();
                await copy.WriteAsync("device-1", NpgsqlDbType.Text);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint);
                await copy.WriteAsync(payloads[i], NpgsqlDbType.Text);
                await copy.WriteAsync(outcome, NpgsqlDbType.Text);
            }
            await copy.CompleteAsync();
        }
        else
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText =
                "INSERT INTO events (client_id, kind, accepted, division, account_id, device_id, at, recorded_at, payload, outcome) " +
                "VALUES (@c, @k, 1, @d, NULL, @dev, @t, @t, @p, @o)";
            var p = EventParameters.Select(name =>
            {
                var parameter = insert.CreateParameter();
                parameter.ParameterName = name;
                insert.Parameters.Add(parameter);
                return parameter;
            }).ToArray();
            await insert.PrepareAsync();
            for (var i = 0; i < count; i++)
            {
                p[0].Value = $"raw-{i}";
                p[1].Value = EventOnlyHandler.KindName;
                p[2].Value = DemoDivisions.Simazhuang;
                p[3].Value = "device-1";
                p[4].Value = now;
                p[5].Value = payloads[i];
                p[6].Value = outcome;
                await insert.ExecuteNonQueryAsync();
            }
        }
        await tx.CommitAsync();
        return count / clock.Elapsed.TotalSeconds;
    }
}
