using Fangyi.Core.Storage;

namespace Fangyi.Features.Checkpoint;

// The checkpoint's background work: takes up an edited rules file, writes devices' last-seen times (and tells the
// big screen how many are online), reads devices other hosts registered or revoked, and purges checks past the
// retention period.
public sealed class CheckpointChores(CheckpointRules rules, DeviceRegistry devices, Store store, Core.Counters.Counters counters, CheckpointOptions options, TimeProvider clock, ILogger<CheckpointChores> log) : BackgroundService
{
    private static readonly TimeSpan OnlineInterval = TimeSpan.FromSeconds(10);

    // Due times on the host's clock, so that a test's clock decides when a purge is due; the first pass does both.
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;
    private DateTimeOffset _nextOnline = DateTimeOffset.MinValue;

    // Deletes checks older than the retention period; returns how many.
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

    // One pass of the chores, each when it is due; returns how many checks it purged.
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
