using System.Globalization;

namespace Fangyi.Bench;

/// <summary>Sizes and switches of one run; every figure is configurable so a quick run and a full one share the code.</summary>
public sealed record BenchArgs
{
    public string? Postgres { get; init; } = Environment.GetEnvironmentVariable("FANGYI_BENCH_PG") is { Length: > 0 } pg ? pg : null;
    public bool Sqlite { get; init; } = true;
    public int IngestItems { get; init; } = 200_000;
    public int Producers { get; init; } = 256;
    public int HttpItems { get; init; } = 50_000;
    public int HttpConnections { get; init; } = 256;
    public int Residents { get; init; } = 1_000_000;
    public int SampleItems { get; init; } = 200_000;
    public int Phones { get; init; } = 1024;
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(60);
    public long DashboardSamples { get; init; } = 60_000_000;
    public int Screens { get; init; } = 50;
    public int DashboardSeconds { get; init; } = 10;
    public int People { get; init; } = 7_300_000;
    public long? IndexSamples { get; init; }
    public int CheckpointConnections { get; init; } = 32;
    public int CheckpointSeconds { get; init; } = 10;
    public string CheckpointClient { get; init; } = "wrk";
    public int RaceSeconds { get; init; } = 10;
    public int IdCards { get; init; } = 200;
    public int Addresses { get; init; } = 100_000;
    public int PushRows { get; init; } = 1_000_000;
    public string? DivisionFile { get; init; }
    public string[] Skip { get; init; } = [];
    public string[]? Only { get; init; }

    public const string Usage =
        """
        Fangyi benchmark: ingest (in-process and HTTP), the national division import, a million-resident import,
        sample registrations over HTTP beside a raw copy, and checkpoint verdicts over HTTP beside a trivial endpoint
        with the whole city in the status index, on SQLite and PostgreSQL in one run; QR codes read through a camera in
        Chromium (qr-camera) and ID card numbers by OCR (id-ocr); free-text addresses as written and with a slip (addresses); the dashboard's counters (in
        process, and its push loop with screens connected over SignalR); the status index's readers racing its writer.

          --pg "<connection string>"   PostgreSQL to use (default $FANGYI_BENCH_PG; bench/run.sh starts a throwaway one)
          --no-sqlite                  PostgreSQL only
          --items N                    in-process ingest items per kind (200000)
          --producers N                concurrent in-process producers (256)
          --http-items N               PUT /api/v1/residents requests (50000)
          --http-connections N         concurrent HTTP clients and connections (256)
          --residents N                rows in the resident import file (1000000)
          --samples N                  sample registrations posted over HTTP, the first fifth (at most 20000) untimed (200000)
          --phones N                   concurrent sampler phones for the registrations (1024)
          --deadline SECONDS           a load stops taking new items after this long (60)
          --divisions FILE             the national division file (default ../shared/data/divisions/china.csv.gz)
          --dashboard-samples N        sample registrations fed to the dashboard's counters (60000000)
          --screens N                  big screens connected while the push loop is timed (50)
          --dashboard-seconds N        how long the push loop is timed, with and without screens (10)
          --people N                   people in the status index for the checkpoint benchmark (7300000)
          --index-samples N            samples in the store when the index is built: older rounds beyond one each (one each)
          --checkpoint-connections N   keep-alive connections driving verify and /healthz (32)
          --checkpoint-seconds N       seconds each of /healthz and verify is driven (10)
          --checkpoint-client wrk|raw  who plays the kiosks: wrk, or an HTTP client inside the benchmark (wrk)
          --race-seconds N             how long one writer and the other cores' readers race over the status index (10)
          --id-cards N                 synthetic ID cards read by OCR in Chromium (200)
          --addresses N                addresses resolved as written, and again with a slip in the village name (100000)
          --push-rows N                rows of the big-data push into the screening pool, and residents seeded for it (1000000)
          --skip LIST                  any of ingest,http,divisions,residents,sampling,checkpoint,screening,quarantine,dashboard,index-races,qr-camera,id-ocr,addresses, comma-separated
          --only LIST                  run only these parts
        """;

    public bool Runs(string part) => !Skip.Contains(part, StringComparer.OrdinalIgnoreCase) && (Only is null || Only.Contains(part, StringComparer.OrdinalIgnoreCase));

    public static BenchArgs Parse(string[] args)
    {
        var parsed = new BenchArgs();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Number() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            parsed = args[i] switch
            {
                "--pg" => parsed with { Postgres = Next() },
                "--no-sqlite" => parsed with { Sqlite = false },
                "--items" => parsed with { IngestItems = Number() },
                "--producers" => parsed with { Producers = Number() },
                "--http-items" => parsed with { HttpItems = Number() },
                "--http-connections" => parsed with { HttpConnections = Number() },
                "--residents" => parsed with { Residents = Number() },
                "--samples" => parsed with { SampleItems = Number() },
                "--index-samples" => parsed with { IndexSamples = Number() },
                "--phones" => parsed with { Phones = Number() },
                "--deadline" => parsed with { Deadline = TimeSpan.FromSeconds(Number()) },
                "--divisions" => parsed with { DivisionFile = Next() },
                "--dashboard-samples" => parsed with { DashboardSamples = long.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture) },
                "--screens" => parsed with { Screens = Number() },
                "--dashboard-seconds" => parsed with { DashboardSeconds = Number() },
                "--only" => parsed with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                "--people" => parsed with { People = Number() },
                "--checkpoint-client" => parsed with { CheckpointClient = Next() is var client && client is "raw" or "wrk" ? client : throw new ArgumentException("--checkpoint-client is wrk or raw") },
                "--checkpoint-connections" => parsed with { CheckpointConnections = Number() },
                "--checkpoint-seconds" => parsed with { CheckpointSeconds = Number() },
                "--race-seconds" => parsed with { RaceSeconds = Number() },
                "--id-cards" => parsed with { IdCards = Number() },
                "--addresses" => parsed with { Addresses = Number() },
                "--push-rows" => parsed with { PushRows = Number() },
                "--skip" => parsed with { Skip = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }
        return parsed;
    }
}
