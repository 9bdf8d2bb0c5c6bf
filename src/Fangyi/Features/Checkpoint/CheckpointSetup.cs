using Fangyi.Core.Storage;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

public sealed class CheckpointOptions
{
    /// <summary>The host's data folder: the rules file and the health-code keys live there.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Checks one device may ask for a minute (0: no limit) and the burst above it.</summary>
    public int DeviceChecksPerMinute { get; set; } = 20;

    public int DeviceCheckBurst { get; set; } = 10;

    /// <summary>Checks are kept this long, then purged.</summary>
    public int RetentionDays { get; set; } = 28;

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the rules file is looked at, device last-seen times written and other hosts' device changes read.</summary>
    public TimeSpan ChoresInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// False: the chores run only when someone calls <see cref="CheckpointChores.RunOnceAsync"/> (a test that moves
    /// the clock and must not have a purge or a reload of its own racing it).
    /// </summary>
    public bool ChoresInBackground { get; set; } = true;
}

public static class CheckpointSetup
{
    public static WebApplicationBuilder AddCheckpoint(this WebApplicationBuilder builder, CheckpointOptions options)
    {
        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton<PlaceDirectory>();
        services.AddSingleton<DeviceRegistry>();
        services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<CheckpointOptions>();
            return new DeviceThrottle(limits.DeviceChecksPerMinute, limits.DeviceCheckBurst, sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<CheckpointRules>();
        services.AddSingleton<RiskAreas>();
        services.AddSingleton<CheckInputReader>();
        services.AddSingleton<CheckpointService>();
        services.AddSingleton<HealthFactsApi.Intake>();
        var hb1 = Hb1HealthCodes.OpenOrCreate(Path.Combine(options.DataDir, "health-code-keys.json"));
        services.AddSingleton(hb1);
        services.AddSingleton<IHealthCodeDecoder>(hb1);
        services.AddSingleton<HealthFacts>();
        services.AddSingleton<IIngestHandler>(sp => sp.GetRequiredService<HealthFacts>());
        services.AddSingleton<IIngestObserver>(sp => sp.GetRequiredService<HealthFacts>());
        services.AddSingleton<IStatusSource>(sp => sp.GetRequiredService<HealthFacts>());
        services.AddSingleton<IIngestHandler, CheckRecordHandler>();
        services.AddSingleton<Core.Counters.ICounterContributor, CheckpointCounters>();
        services.AddSingleton<CheckpointChores>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckpointChores>());
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, CheckpointJson.Default));
        return builder;
    }

    /// <summary>Reads what the checkpoint keeps in memory: places, devices, rules, risk areas.</summary>
    public static async Task LoadCheckpointAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await services.GetRequiredService<PlaceDirectory>().LoadAsync(ct);
        await services.GetRequiredService<DeviceRegistry>().LoadAsync(ct);
        await services.GetRequiredService<CheckpointRules>().LoadAsync(ct);
        await services.GetRequiredService<RiskAreas>().LoadAsync(ct);
    }
}

/// <summary>
/// The checkpoint's background work: takes up an edited rules file, writes devices' last-seen times (and tells the
/// big screen how many are online), reads devices other hosts registered or revoked, and purges checks past the
/// retention period.
/// </summary>
public sealed class CheckpointChores(CheckpointRules rules, DeviceRegistry devices, Store store, Core.Counters.Counters counters, CheckpointOptions options, TimeProvider clock, ILogger<CheckpointChores> log) : BackgroundService
{
    private static readonly TimeSpan OnlineInterval = TimeSpan.FromSeconds(10);

    // Due times on the host's clock, so that a test's clock decides when a purge is due; the first pass does both.
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;
    private DateTimeOffset _nextOnline = DateTimeOffset.MinValue;

    /// <summary>Deletes checks older than the retention period; returns how many.</summary>
    public async Task<long> PurgeAsync(CancellationToken ct = default)
    {
        var before = clock.GetUtcNow().AddDays(-options.RetentionDays).ToUnixTimeMilliseconds();
        var deleted = await CheckRetention.PurgeAsync(store, before, ct);
        if (deleted > 0)
        {
            log.LogInformation("Purged {Count} checks older than {Days} days", deleted, options.RetentionDays);
        }
        return deleted;
    }

    /// <summary>One pass of the chores, each when it is due; returns how many checks it purged.</summary>
    public async Task<long> RunOnceAsync(CancellationToken ct = default)
    {
        await rules.ReloadIfChangedAsync(ct);
        await devices.FlushSeenAsync(ct);
        if (clock.GetUtcNow() >= _nextOnline)
        {
            // The big screen's "devices online", from the last-seen times just written.
            _nextOnline = clock.GetUtcNow() + OnlineInterval;
            counters.Record(await CheckpointCounters.OnlineAsync(store, clock.GetUtcNow(), ct));
        }
        await devices.ReloadChangedAsync(ct);
        if (clock.GetUtcNow() < _nextPurge)
        {
            return 0;
        }
        _nextPurge = clock.GetUtcNow() + options.PurgeInterval;
        return await PurgeAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.ChoresInBackground)
        {
            return;
        }
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // A wait on the host's clock, one at a time: a test clock moved on by days wakes it once, where a
                // periodic timer would tick for every interval skipped.
                await Task.Delay(options.ChoresInterval, clock, stoppingToken);
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    log.LogWarning(error, "Checkpoint chores failed; trying again shortly");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }
}
