using Fangyi.Core.Storage;
using System.Diagnostics;
using System.Text;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;

namespace Fangyi.Bench;

/// <summary>The bulk imports an admin runs on day one: the national division file and the population registry.</summary>
public static class ImportBench
{
    /// <summary>A resident CSV as a county office would upload it (generation is not timed).</summary>
    public static void WriteResidentsCsv(string path, DivisionTree tree, int count, int seed)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine("id_number,name,phone,division,registered,tags");
        foreach (var p in ResidentsDemo.Population(tree, count, seed))
        {
            writer.Write(p.IdNumber);
            writer.Write(',');
            writer.Write(p.Name);
            writer.Write(',');
            writer.Write(p.Phone);
            writer.Write(',');
            writer.Write(p.Division);
            writer.Write(',');
            writer.Write(p.Registered);
            writer.Write(',');
            writer.WriteLine(p.Tags);
        }
    }

    public static async Task DivisionsAsync(BenchStore bench, string nationalFile, string warmupFile, List<ResultRow> rows)
    {
        await using var store = Store.FromSpec(bench.Spec);
        await store.MigrateAsync();
        var directory = new DivisionCatalog(store, new DivisionDirectory());
        await directory.LoadAsync();
        await using (var warm = File.OpenRead(warmupFile))
        {
            await directory.ImportAsync(warm);
        }
        Settle();

        var (report, took) = await TimeAsync(async () =>
        {
            await using var file = File.OpenRead(nationalFile);
            return await directory.ImportAsync(file);
        });
        rows.Add(new(bench.Kind, $"import national divisions ({report.Rows:N0} rows)", $"{took.TotalSeconds,6:F1} s  ({report.Created:N0} new, {report.Updated:N0} changed, {report.Refused} refused)",
            "< 10 s", took.TotalSeconds < 10));
        Settle();
        (report, took) = await TimeAsync(async () =>
        {
            await using var file = File.OpenRead(nationalFile);
            return await directory.ImportAsync(file);
        });
        rows.Add(new(bench.Kind, "import national divisions again (unchanged)", $"{took.TotalSeconds,6:F1} s  ({report.Unchanged:N0} unchanged, {report.Refused} refused)", "< 10 s",
            took.TotalSeconds < 10));
    }

    public static async Task ResidentsAsync(BenchStore bench, BenchStore warmup, string file, string warmupFile, int count, List<ResultRow> rows)
    {
        await ImportOnceAsync(warmup, warmupFile);
        Settle();

        var (report, took) = await TimeAsync(() => ImportOnceAsync(bench, file));
        rows.Add(new(bench.Kind, $"import residents ({count:N0} rows, CSV)", $"{took.TotalSeconds,6:F1} s  ({count / took.TotalSeconds:N0} rows/s, {report.Created:N0} new, {report.Refused} refused)",
            "< 60 s", took.TotalSeconds < 60 && report.Created == count));
        Settle();
        (report, took) = await TimeAsync(() => ImportOnceAsync(bench, file));
        rows.Add(new(bench.Kind, "import the same residents again (unchanged)", $"{took.TotalSeconds,6:F1} s  ({count / took.TotalSeconds:N0} rows/s, {report.Unchanged:N0} unchanged)",
            "< 60 s", took.TotalSeconds < 60 && report.Unchanged == count));
    }

    /// <summary>What <c>fangyi import residents FILE</c> does, store opening included.</summary>
    private static async Task<ImportReport> ImportOnceAsync(BenchStore bench, string file)
    {
        await using var store = Store.FromSpec(bench.Spec);
        await store.MigrateAsync();
        var directory = new DivisionCatalog(store, new DivisionDirectory());
        await directory.LoadAsync();
        var keys = KeyRing.OpenOrCreate(Path.Combine(bench.Folder, "keys.json"));
        await using var stream = File.OpenRead(file);
        return await ResidentImport.RunAsync(store, SheetReader.Read(stream, Path.GetFileName(file)), directory.Tree, keys, Scope.Everything);
    }

    private static async Task<(T Result, TimeSpan Took)> TimeAsync<T>(Func<Task<T>> run)
    {
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = await run();
        // The bench process's own CPU (PostgreSQL's is not in it): on a shared machine the wall time says less.
        Console.WriteLine($"    {clock.Elapsed.TotalSeconds:F1} s wall, {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:F1} s CPU of this process, load average {Machine.LoadAverage()}");
        return (result, clock.Elapsed);
    }

    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }
}
