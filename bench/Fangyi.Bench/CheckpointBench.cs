using Fangyi.Core.Jurisdiction;
using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Core.Codes;
using Fangyi.Core.Identity;
using Fangyi.Core.Status;
using Fangyi.Features.Checkpoint;
using Fangyi.Features.Divisions;
using Fangyi.Host;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Bench;

/// <summary>
/// Four-in-one checks at door speed: the real host over HTTP with the whole city in its status index. The people
/// (and one sample each) are bulk-copied straight into the store — raw inserts on SQLite, COPY on PostgreSQL, indexes
/// dropped during the copy and made again after, as a restore would — not through the validating import, which has
/// its own benchmark. Then the host starts (building its index from the store, timed), and one load generator
/// drives GET /healthz and POST /api/v1/checkpoint/verify in turn over the same keep-alive connections count.
/// </summary>
[SuppressMessage("Security", "CA5394", Justification = "Seeded Random makes the same synthetic data every run; nothing here is secret.")]
public static class CheckpointBench
{
    private const string Secret = "bench-device-secret-0001";
    private static readonly long[] Regions = [130902, 130903, 130921, 130922, 130923, 130924, 130925, 130926, 130927, 130928, 130929, 130930, 130981, 130982, 130983, 130984];

    /// <summary>Person i's identity number: every one distinct, made again on demand rather than held (7.3 M strings would blur the heap figure).</summary>
    public static string Number(int i)
    {
        var region = (int)Regions[i % Regions.Length];
        var j = i / Regions.Length;
        return IdNumber.Make(region, new DateOnly(1940, 1, 1).AddDays(j / 999), j % 999 + 1);
    }

    private static byte[] Subject(int i) => SHA256.HashData(BitConverter.GetBytes(i))[..16];

    public static async Task RunAsync(BenchStore store, BenchArgs args, List<ResultRow> rows)
    {
        var people = args.People;
        var load = Stopwatch.StartNew();
        var keys = KeyRing.OpenOrCreate(Path.Combine(store.Folder, "keys.json"));
        DivisionTree tree;
        await using (var s = Store.FromSpec(store.Spec))
        {
            await s.MigrateAsync();
            var divisions = new DivisionDirectory();
            await new DivisionCatalog(s, divisions).LoadAsync();
            tree = divisions.Tree;
        }
        var villages = tree.Descendants(130900000000).Where(d => d.Level == DivisionLevel.Village).Select(d => d.Code).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var history = new History(people, args.IndexSamples);
        await BulkLoadAsync(store, keys, villages, people, history, now);
        await using (var look = Store.FromSpec(store.Spec))
        await using (var connection = await look.OpenAsync())
        {
            var stored = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM samples", commandTimeout: 3600);
            if (stored != history.Total)
            {
                throw new InvalidOperationException($"{stored:N0} samples stored, {history.Total:N0} meant");
            }
        }
        Console.WriteLine($"    loaded {people:N0} people and {history.Total:N0} samples into the store in {load.Elapsed.TotalSeconds:F0} s (raw copy, not timed)");

        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapBefore = GC.GetTotalMemory(true);
        await using var app = await FangyiHost.BuildAsync(new FangyiOptions { Store = store.Spec, DataDir = store.Folder, Urls = "http://127.0.0.1:0", DeviceChecksPerMinute = 0 },
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning), TextWriter.Null);
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heapAfter = GC.GetTotalMemory(true);
        var index = app.Services.GetRequiredService<StatusIndex>();
        var build = app.Services.GetRequiredService<StatusIndexHost>().BuildTime;
        if (index.Count != people)
        {
            throw new InvalidOperationException($"the index holds {index.Count} people, the store {people}");
        }
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var place = await app.Services.GetRequiredService<PlaceDirectory>().CreateAsync("压测商场", PlaceCategories.Mall, 130922100000, "");
        var device = (await app.Services.GetRequiredService<DeviceRegistry>().RegisterAsync(place, [("压测查验设备", Secret)], null))[0];
        var authorization = $"Device {device.DeviceId}.{Secret}";
        var codes = app.Services.GetRequiredService<SignedCodes>();
        var random = new Random(7);
        // 85% typed or read ID numbers, 10% citizen codes (5,000 distinct, verified once each, then from the cache), 5% unknown people.
        var bodies = Enumerable.Range(0, 100_000).Select(r =>
        {
            var roll = random.Next(100);
            var input = roll < 85 ? Number(random.Next(people))
                : roll < 95 ? codes.Issue(CodeKind.Citizen, Subject(random.Next(5_000) * 10 % people), TimeSpan.FromDays(30))
                : IdNumber.Make(130922, new DateOnly(2010, 1, 1).AddDays(random.Next(3000)), random.Next(1, 1000));
            return $"{{\"input\":\"{input}\"}}";
        }).ToArray();

        var connections = args.CheckpointConnections;
        var seconds = TimeSpan.FromSeconds(args.CheckpointSeconds);
        var warmup = TimeSpan.FromSeconds(3);
        // The kiosks are played by wrk (a C load generator, the least CPU a request), or with --checkpoint-client raw
        // by the benchmark's own keep-alive client inside this process.
        Func<TimeSpan, Task<(long Done, double PerSecond, double P99Ms, long NotOk, string Figure)>> Healthz, Verify;
        if (args.CheckpointClient == "raw")
        {
            byte[][] trivial = [RawHttp.Get("/healthz")];
            var requests = bodies.Select(b => RawHttp.PostJson("/api/v1/checkpoint/verify", authorization, b)).ToArray();
            Healthz = async d => await RawHttp.RunAsync(url, connections, d, trivial) is var r ? (r.Done, r.PerSecond, r.P99Ms, r.NotOk, r.Figure) : default;
            Verify = async d => await RawHttp.RunAsync(url, connections, d, requests) is var r ? (r.Done, r.PerSecond, r.P99Ms, r.NotOk, r.Figure) : default;
        }
        else
        {
            Healthz = async d => await Wrk.GetAsync(url.ToString(), "/healthz", connections, d) is var r ? (r.Requests, r.PerSecond, r.P99Ms, r.Errors, r.Figure) : default;
            Verify = async d => await Wrk.PostRoundAsync(url.ToString(), "/api/v1/checkpoint/verify", authorization, bodies, connections, d) is var r ? (r.Requests, r.PerSecond, r.P99Ms, r.Errors, r.Figure) : default;
        }
        await Healthz(warmup);
        var warm = await Verify(warmup);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var healthz = await Healthz(seconds);
        var cpuHealthz = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        clock.Restart();
        var verify = await Verify(seconds);
        var cpuVerify = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"    /healthz: {healthz.Figure}; process CPU {cpuHealthz:F2} cores; load average {Machine.LoadAverage()}");
        Console.WriteLine($"    verify:   {verify.Figure}; process CPU {cpuVerify:F2} cores; load average {Machine.LoadAverage()}");

        // Every check is recorded (the warm-up's too): wait for the ingest to have written them.
        var expected = warm.Done + verify.Done;
        var drain = Stopwatch.StartNew();
        long recorded;
        await using (var connection = await app.Services.GetRequiredService<Store>().OpenAsync())
        {
            while ((recorded = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM checks")) < expected && drain.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200);
            }
        }

        var ratio = verify.PerSecond / healthz.PerSecond;
        rows.Add(new(store.Kind, $"checkpoint verify over HTTP, {people:N0} people, {connections} conns ({(args.CheckpointClient == "raw" ? "in-process client" : "wrk")})", verify.Figure,
            ">= 21,300/s, p99 < 5 ms", verify.PerSecond >= 21_300 && verify.P99Ms < 5 && verify.NotOk == 0));
        rows.Add(new(store.Kind, "trivial endpoint GET /healthz, same host and load", healthz.Figure, "reference", null));
        rows.Add(new(store.Kind, "verify rate / trivial rate", $"{ratio:P0}", ">= 50%", ratio >= 0.5));
        rows.Add(new(store.Kind, "checks recorded through the ingest (after the run)", $"{recorded:N0} of {expected:N0} (warm-up included)", "all", recorded >= expected));
        var perPerson = index.Bytes / (double)people;
        rows.Add(new(store.Kind, "status index bytes a person (its arrays / people)", $"{perPerson:F1} B ({index.Bytes / 1e6:N0} MB)", "<= 128", perPerson <= 128));
        rows.Add(new(store.Kind, "GC heap grown by starting the host / people", $"{(heapAfter - heapBefore) / (double)people:F1} B ({(heapAfter - heapBefore) / 1e6:N0} MB, whole host)", "reference", null));
        rows.Add(new(store.Kind, $"status index build at start ({people:N0} people, {history.Total:N0} samples)", $"{build.TotalSeconds:F1} s", "< 60 s", build.TotalSeconds < 60));
        await app.StopAsync();
    }

    /// <summary>People and their samples straight into the store, the fastest plain way each store has.</summary>
    private static async Task BulkLoadAsync(BenchStore bench, KeyRing keys, long[] villages, int people, History history, long now)
    {
        var key = keys.Active;
        const int chunk = 200_000;
        await using var store = Store.FromSpec(bench.Spec);
        await using var connection = await store.OpenAsync();
        var dropped = await DropIndexesAsync(connection, ["residents", "samples"]);
        await using (var tx = await connection.BeginTransactionAsync())
        {
            for (var from = 0; from < people; from += chunk)
            {
                var n = Math.Min(chunk, people - from);
                var rows = new (byte[] Hash, byte[] Cipher, string Masked, string Name, long Division, byte[]? Subject)[n];
                Parallel.For(0, n, k =>
                {
                    var i = from + k;
                    var number = Number(i);
                    rows[k] = (KeyRing.Hash(key, DocTypes.ResidentId, number), KeyRing.Encrypt(key, number), IdNumber.Mask(number),
                        Name(i), villages[i % villages.Length], i % 10 == 0 ? Subject(i) : null);
                });
                if (connection is NpgsqlConnection pg)
                {
                    await CopyPostgresAsync(pg, rows, from, key.Id, history, now);
                }
                else
                {
                    await InsertSqliteAsync(connection, tx, rows, from, key.Id, history, now);
                }
            }
            await tx.CommitAsync();
        }
        foreach (var sql in dropped)
        {
            await connection.ExecuteAsync(sql, commandTimeout: 3600);
        }
        if (connection is SqliteConnection)
        {
            await connection.ExecuteAsync("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        else
        {
            // As after a restore: otherwise autovacuum takes up tens of millions of new rows during the measurement.
            await connection.ExecuteAsync("VACUUM (ANALYZE) residents, samples", commandTimeout: 3600);
        }
    }

    private static readonly string Surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶";
    private static readonly string Given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆帅旭宁龙林欣佳琪";

    private static string Name(int i) => string.Concat(Surnames[i % Surnames.Length].ToString(), Given[i / 7 % Given.Length].ToString(), i % 3 == 0 ? "" : Given[i / 13 % Given.Length].ToString());

    /// <summary>
    /// Each person's samples, newest first. Most people were sampled in the last day and are negative; one in twenty
    /// is still waiting; one in twenty was never sampled. Beyond that, to reach the samples asked for, older rounds'
    /// negatives a day apart, shared out evenly (the design's start-up target: 60 million samples).
    /// </summary>
    private sealed class History(int people, long? asked)
    {
        private readonly int _latest = people - (people + 19) / 20;
        private readonly long _older = Math.Max(0, (asked ?? 0) - (people - (people + 19) / 20));

        public long Total => _latest + _older;

        public IEnumerable<(long Round, long At, string? Result)> Of(int i, long now)
        {
            if (i % 20 == 0)
            {
                yield break;
            }
            yield return i % 20 == 1 ? (1, now - 3_600_000L, null) : (1, now - (i % 24 + 1) * 3_600_000L, "negative");
            var sampled = people - (people + 19) / 20;
            var rank = i - i / 20 - 1;
            var older = _older / sampled + (rank < _older % sampled ? 1 : 0);
            for (var d = 1; d <= older; d++)
            {
                yield return (1 + d, now - d * 86_400_000L, "negative");
            }
        }
    }

    private static async Task<List<string>> DropIndexesAsync(DbConnection connection, string[] tables)
    {
        var definitions = new List<string>();
        foreach (var table in tables)
        {
            var indexes = connection is NpgsqlConnection
                ? (await connection.QueryAsync<(string Name, string Sql)>("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = @table AND schemaname = current_schema() AND indexname NOT LIKE '%_pkey'", new { table })).ToList()
                : (await connection.QueryAsync<(string Name, string Sql)>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = @table AND sql IS NOT NULL", new { table })).ToList();
            foreach (var (name, sql) in indexes)
            {
                await connection.ExecuteAsync($"DROP INDEX {name}");
                definitions.Add(sql);
            }
        }
        return definitions;
    }

    private static async Task InsertSqliteAsync(DbConnection connection, DbTransaction tx, (byte[] Hash, byte[] Cipher, string Masked, string Name, long Division, byte[]? Subject)[] rows, int from, int keyId, History history, long now)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO residents (id, doc_type, id_hash, id_cipher, id_masked, key_id, name, division, registered, tags, created_at, updated_at, subject) VALUES (@id, 'resident_id', @h, @c, @m, @k, @n, @d, 1, '', @now, @now, @s)";
        var p = insert.AddParameters("id", "h", "c", "m", "k", "n", "d", "now", "s");
        p[4].Value = keyId;
        p[7].Value = now;
        await insert.PrepareAsync();
        await using var sample = connection.CreateCommand();
        sample.Transaction = tx;
        sample.CommandText = "INSERT INTO samples (tube_code, resident_id, division, round_id, sampled_at, removed, repeat_in_round, result, resulted_at) VALUES ('BENCH', @r, @d, @round, @at, 0, 0, @res, @done)";
        var q = sample.AddParameters("r", "d", "round", "at", "res", "done");
        await sample.PrepareAsync();
        for (var k = 0; k < rows.Length; k++)
        {
            var i = from + k;
            var r = rows[k];
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[5].Value, p[6].Value, p[8].Value) = (i + 1L, r.Hash, r.Cipher, r.Masked, r.Name, r.Division, (object?)r.Subject ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync();
            foreach (var s in history.Of(i, now))
            {
                (q[0].Value, q[1].Value, q[2].Value, q[3].Value, q[4].Value, q[5].Value) = (i + 1L, r.Division, s.Round, s.At, (object?)s.Result ?? DBNull.Value, s.Result is null ? DBNull.Value : s.At);
                await sample.ExecuteNonQueryAsync();
            }
        }
    }

    private static async Task CopyPostgresAsync(NpgsqlConnection pg, (byte[] Hash, byte[] Cipher, string Masked, string Name, long Division, byte[]? Subject)[] rows, int from, int keyId, History history, long now)
    {
        await using (var copy = await pg.BeginBinaryImportAsync(
            "COPY residents (id, doc_type, id_hash, id_cipher, id_masked, key_id, name, division, registered, tags, created_at, updated_at, subject) FROM STDIN (FORMAT BINARY)"))
        {
            for (var k = 0; k < rows.Length; k++)
            {
                var r = rows[k];
                await copy.StartRowAsync();
                await copy.WriteAsync(from + k + 1L, NpgsqlDbType.Bigint);
                await copy.WriteAsync("resident_id", NpgsqlDbType.Text);
                await copy.WriteAsync(r.Hash, NpgsqlDbType.Bytea);
                await copy.WriteAsync(r.Cipher, NpgsqlDbType.Bytea);
                await copy.WriteAsync(r.Masked, NpgsqlDbType.Text);
                await copy.WriteAsync(keyId, NpgsqlDbType.Integer);
                await copy.WriteAsync(r.Name, NpgsqlDbType.Text);
                await copy.WriteAsync(r.Division, NpgsqlDbType.Bigint);
                await copy.WriteAsync(true, NpgsqlDbType.Boolean);
                await copy.WriteAsync("", NpgsqlDbType.Text);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint);
                await copy.WriteAsync(now, NpgsqlDbType.Bigint);
                if (r.Subject is null)
                {
                    await copy.WriteNullAsync();
                }
                else
                {
                    await copy.WriteAsync(r.Subject, NpgsqlDbType.Bytea);
                }
            }
            await copy.CompleteAsync();
        }
        await using (var copy = await pg.BeginBinaryImportAsync(
            "COPY samples (tube_code, resident_id, division, round_id, sampled_at, removed, repeat_in_round, result, resulted_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var k = 0; k < rows.Length; k++)
            {
                var i = from + k;
                foreach (var s in history.Of(i, now))
                {
                    await copy.StartRowAsync();
                    await copy.WriteAsync("BENCH", NpgsqlDbType.Text);
                    await copy.WriteAsync(i + 1L, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(rows[k].Division, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(s.Round, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(s.At, NpgsqlDbType.Bigint);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean);
                    if (s.Result is null)
                    {
                        await copy.WriteNullAsync();
                        await copy.WriteNullAsync();
                    }
                    else
                    {
                        await copy.WriteAsync(s.Result, NpgsqlDbType.Text);
                        await copy.WriteAsync(s.At, NpgsqlDbType.Bigint);
                    }
                }
            }
            await copy.CompleteAsync();
        }
    }
}
