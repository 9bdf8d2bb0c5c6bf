using System.Diagnostics;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Fangyi.Features.Screening;
using Fangyi.Host;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fangyi.Bench;

/// <summary>
/// A big-data push into the to-be-screened pool: a million rows, 30 % of them people already in the pool, 5 % without
/// an ID number (phones, half of them the registry's), imported through the ingest, deduplicated and routed; beside it
/// a raw bulk copy of as many rows into a bare table; then a level's pool listed as a worker's phone asks for it.
/// </summary>
public static class ScreeningBench
{
    public static async Task RunAsync(BenchStore store, BenchArgs args, List<ResultRow> rows)
    {
        var count = args.PushRows;
        await using var app = await FangyiHost.BuildAsync(new FangyiOptions { Store = store.Spec, DataDir = store.Folder, Urls = "http://127.0.0.1:0" },
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning), TextWriter.Null);
        await app.StartAsync();
        var services = app.Services;
        var seeding = Stopwatch.StartNew();
        var residents = count;
        await ResidentsDemo.SeedPopulationAsync(services, residents);
        var tree = services.GetRequiredService<DivisionDirectory>().Tree;
        var people = ResidentsDemo.Population(tree, residents).ToList();
        Console.WriteLine($"    {residents:N0} residents seeded in {seeding.Elapsed.TotalSeconds:F0} s (not timed)");

        var known = count * 3 / 10;
        var noId = count / 20;
        var push = new List<PersonRow>(count);
        push.AddRange(people.Take(known).Select(p => new PersonRow(p.IdNumber, null, null, null)));
        push.AddRange(people.Skip(known).Take(count - known - noId).Select(p => new PersonRow(p.IdNumber, null, null, null)));
        push.AddRange(people.Skip(count - noId).Take(noId / 2).Select(p => new PersonRow(null, p.Phone, null, null)));
        push.AddRange(Enumerable.Range(0, noId - noId / 2).Select(i => new PersonRow(null, $"170{i:D8}", "未登记某", null)));

        var (storeService, ingest, intake, clock) = (services.GetRequiredService<Store>(), services.GetRequiredService<IngestQueue>(), services.GetRequiredService<ScreeningIntake>(), services.GetRequiredService<TimeProvider>());
        async Task<PushLanded> PushAsync(string reason, IReadOnlyList<PersonRow> list)
        {
            var spec = new PushImport.Push(ScreeningSources.Push, reason, false, null, null, null);
            var id = await PushImport.OpenAsync(storeService, spec, 130900000000, 1, clock.GetUtcNow().ToUnixTimeMilliseconds(), default);
            return await PushImport.RunAsync(storeService, ingest, intake, id, spec, list.Select((r, i) => (i + 2, r)), Scope.Everything, 130900000000, 1, clock);
        }

        var first = Stopwatch.StartNew();
        var earlier = await PushAsync("涉疫场所", push.Take(known).ToList());
        Console.WriteLine($"    an earlier push of {known:N0} people in {first.Elapsed.TotalSeconds:F0} s: {earlier.Created:N0} cases (not timed)");
        GC.Collect();

        var timed = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var landed = await PushAsync("时空伴随", push);
        var took = timed.Elapsed;
        Console.WriteLine($"    {took.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU of this process, load average {Machine.LoadAverage()}");
        var ok = landed.Errors.Count == 0 && landed.Known == known && landed.Created == count - known;
        rows.Add(new(store.Kind, $"big-data push into the pool ({count:N0} rows, 30 % known, 5 % no ID)", $"{took.TotalSeconds,6:F1} s  ({count / took.TotalSeconds:N0} rows/s; {landed.Created:N0} new cases, {landed.Known:N0} known, {landed.Unassigned:N0} unassigned)",
            "< 60 s", took.TotalSeconds < 60 && ok));
        if (!ok)
        {
            Console.WriteLine($"    unexpected counts: created {landed.Created:N0} (meant {count - known:N0}), known {landed.Known:N0} (meant {known:N0}), errors {landed.Errors.Count}");
        }

        // The same rows as a raw bulk copy into a bare table: what the store alone costs for as many rows.
        var raw = await RawCopyAsync(storeService, count);
        rows.Add(new(store.Kind, $"raw bulk copy of {count:N0} entry rows (reference)", $"{raw.TotalSeconds,6:F1} s  ({count / raw.TotalSeconds:N0} rows/s)", "reference", null));
        rows.Add(new(store.Kind, "push / raw copy", $"{took.TotalSeconds / raw.TotalSeconds:F1}x", "reference", null));

        // The busiest division's pool, the 2,000 most urgent, as the list endpoint reads them (query and names).
        long division;
        long size;
        await using (var connection = await storeService.OpenAsync())
        {
            (division, size) = await connection.QuerySingleAsync<(long, long)>(
                "SELECT division / 1000 * 1000, COUNT(*) FROM screening_cases WHERE merged_into IS NULL AND division % 1000 <> 0 GROUP BY division / 1000 ORDER BY COUNT(*) DESC LIMIT 1");
        }
        var lookups = services.GetRequiredService<ResidentLookups>();
        var directory = services.GetRequiredService<DivisionDirectory>();
        var db = new ScopedDb(storeService, Scope.Of(division));
        var times = new List<double>();
        var listed = 0;
        for (var i = 0; i < 21; i++)
        {
            var watch = Stopwatch.StartNew();
            var list = await ScreeningPool.ListAsync(db, new ScreeningPool.Filter(Scope.Of(division), Limit: 2000));
            var views = await ScreeningApi.ViewsAsync(list, storeService, lookups, directory, services.GetRequiredService<ScreeningRules>(), clock.GetUtcNow().ToUnixTimeMilliseconds(), default);
            times.Add(watch.Elapsed.TotalMilliseconds);
            listed = views.Count;
        }
        var median = times.Skip(1).Order().ElementAt(10);
        rows.Add(new(store.Kind, $"a township's pool listed ({listed:N0} of its {size:N0} cases, names and sources)", $"{median,6:F1} ms (median of 20)", "< 50 ms", median < 50 && listed == Math.Min(2000, size)));
        await app.StopAsync();
    }

    private sealed record RawRow(long CaseId, string Source, string Ref, string Reason, long At);

    private static async Task<TimeSpan> RawCopyAsync(Store store, int count)
    {
        await using var connection = await store.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE bench_raw_entries (case_id BIGINT NOT NULL, source TEXT NOT NULL, ref TEXT NOT NULL, reason TEXT NOT NULL, at BIGINT NOT NULL)");
        var insert = new BulkInsert<RawRow>("bench_raw_entries").Column("case_id", r => r.CaseId).Column("source", r => r.Source).Column("ref", r => r.Ref)
            .Column("reason", r => r.Reason).Column("at", r => r.At);
        var watch = Stopwatch.StartNew();
        foreach (var chunk in Enumerable.Range(0, count).Select(i => new RawRow(i, "push", "9:" + i, "时空伴随", 1)).Chunk(PushImport.ChunkSize))
        {
            await using var tx = await connection.BeginTransactionAsync();
            await insert.ExecuteAsync(connection, tx, chunk);
            await tx.CommitAsync();
        }
        return watch.Elapsed;
    }
}
