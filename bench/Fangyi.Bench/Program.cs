using Fangyi.Core.Jurisdiction;
using System.Diagnostics;
using System.Globalization;
using Fangyi.Bench;
using Fangyi.Features.Divisions;

// Fangyi's performance figures, for both stores in one run, as a table: store, measure, figure, target, verdict.
// Run with: dotnet run -c Release --project bench/Fangyi.Bench -- [args]   (bench/run.sh brings a PostgreSQL)
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(BenchArgs.Usage);
    return 0;
}
var options = BenchArgs.Parse(args);
var root = RepoRoot();
var national = options.DivisionFile ?? Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "divisions", "china.csv.gz"));
var cangzhou = Path.Combine(root, "data", "divisions", "cangzhou.csv");
var kinds = new List<string>();
if (options.Sqlite)
{
    kinds.Add(BenchStore.Sqlite);
}
if (options.Postgres is not null)
{
    kinds.Add(BenchStore.Postgres);
}
else
{
    Console.WriteLine("No PostgreSQL given (--pg or FANGYI_BENCH_PG; bench/run.sh starts one): SQLite only.");
}

Console.WriteLine($"{Environment.ProcessorCount} cores, {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}; load average {Machine.LoadAverage()}");
var total = Stopwatch.StartNew();
var rows = new List<ResultRow>();
var files = Directory.CreateTempSubdirectory("fangyi-bench-files-").FullName;
try
{
    var residentsCsv = Path.Combine(files, "residents.csv");
    var warmupCsv = Path.Combine(files, "residents-warmup.csv");
    if (options.Runs("residents"))
    {
        var clock = Stopwatch.StartNew();
        var shipped = new DivisionTree(DivisionImport.Shipped());
        ImportBench.WriteResidentsCsv(residentsCsv, shipped, options.Residents, seed: 2022);
        ImportBench.WriteResidentsCsv(warmupCsv, shipped, Math.Min(20_000, options.Residents), seed: 99);
        Console.WriteLine($"generated {options.Residents:N0} residents ({new FileInfo(residentsCsv).Length / 1e6:F0} MB CSV) in {clock.Elapsed.TotalSeconds:F1} s (not timed)");
    }

    if (options.Runs("index-races"))
    {
        Console.WriteLine($"[{total.Elapsed:mm\\:ss}] status index races");
        IndexRaceBench.Run(options, rows);
    }

    if (options.Runs("qr-camera"))
    {
        Console.WriteLine($"[{total.Elapsed:mm\\:ss}] QR codes through a phone camera");
        await QrCameraBench.RunAsync(root, rows);
    }

    if (options.Runs("id-ocr"))
    {
        Console.WriteLine($"[{total.Elapsed:mm\\:ss}] ID card numbers read by OCR");
        await IdOcrBench.RunAsync(root, options.IdCards, rows);
    }

    if (options.Runs("addresses"))
    {
        Console.WriteLine($"[{total.Elapsed:mm\\:ss}] addresses, exact and corrected");
        AddressBench.Run(options.Addresses, rows);
    }

    if (options.Runs("dashboard"))
    {
        Console.WriteLine($"[{total.Elapsed:mm\\:ss}] dashboard counters");
        await DashboardBench.RunAsync(options, rows);
    }

    foreach (var kind in kinds)
    {
        if (options.Runs("ingest") || options.Runs("http"))
        {
            Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {kind}: ingest");
            await using var store = await BenchStore.CreateAsync(kind, options.Postgres, "ingest");
            await IngestBench.RunAsync(store, options, rows);
        }
        if (options.Runs("sampling"))
        {
            Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {kind}: sample registrations");
            await using var store = await BenchStore.CreateAsync(kind, options.Postgres, "sampling");
            await SamplingBench.RunAsync(store, options, rows);
        }
        if (options.Runs("checkpoint"))
        {
            Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {kind}: checkpoint verdicts");
            await using var store = await BenchStore.CreateAsync(kind, options.Postgres, "checkpoint");
            await CheckpointBench.RunAsync(store, options, rows);
        }
        if (options.Runs("screening"))
        {
            Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {kind}: a big-data push into the screening pool");
            await using var store = await BenchStore.CreateAsync(kind, options.Postgres, "screening");
            await ScreeningBench.RunAsync(store, options, rows);
        }
        if (options.Runs("quarantine"))
        {
            Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {kind}: quarantine check-ins");
            await using var store = await BenchStore.CreateAsync(kind, options.Postgres, "quarantine");
            await QuarantineBench.RunAsync(store, rows);
        }
        if (options.Runs("divisions") || options.Runs("residents"))
        {
            await using var store = await BenchStore.CreateAsync(kind, options.Postgres, "import");
            if (options.Runs("divisions"))
            {
                Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {kind}: divisions");
                await ImportBench.DivisionsAsync(store, national, cangzhou, rows);
            }
            if (options.Runs("residents"))
            {
                Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {kind}: residents");
                await using var warmup = await BenchStore.CreateAsync(kind, options.Postgres, "warmup");
                await ImportBench.ResidentsAsync(store, warmup, residentsCsv, warmupCsv, options.Residents, rows);
            }
        }
    }
}
finally
{
    Directory.Delete(files, recursive: true);
}

Console.WriteLine();
ResultRow.Print(rows, Console.Out);
Console.WriteLine();
Console.WriteLine($"whole run {total.Elapsed.TotalSeconds:F0} s; load average {Machine.LoadAverage()}");
return 0;

static string RepoRoot()
{
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "Fangyi.sln")))
        {
            return folder.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}
